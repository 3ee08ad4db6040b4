using System.IO;
using System.Linq;
using Trapweave.Fody.Core;

namespace Trapweave.Cli;

/// <summary>The lines <c>trapweave weave</c> prints: one per assembly, then a summary.</summary>
static class WeaveReport
{
    public static void Woven(TextWriter output, FileWeaveResult result, CollectingWeaverLog log, bool verbose)
    {
        var skipped = result.SkippedByReason.Values.Sum();
        var line = $"  {Path.GetFileName(result.AssemblyPath)}: {result.TrappedMethods} methods trapped, {skipped} skipped, " +
                   $"{result.RedirectedCallSites} call site{(result.RedirectedCallSites == 1 ? "" : "s")} redirected";
        if (log.Warnings.Count > 0) line += $", {log.Warnings.Count} warning{(log.Warnings.Count == 1 ? "" : "s")}" + (verbose ? "" : " (--verbose shows them)");
        output.WriteLine(line);
        if (!verbose) return;
        foreach (var reason in result.SkippedByReason)
            output.WriteLine($"      {reason.Value} skipped: {reason.Key}");
    }

    public static void Skipped(TextWriter output, AssemblyCandidate candidate) =>
        output.WriteLine($"  {candidate.FileName}: not woven, {candidate.SkipReason}");
}
