using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using Trapweave.Fody.Core;

namespace Trapweave.Cli;

/// <summary>
/// <c>trapweave weave &lt;folder|dll&gt;</c>: weaves built assemblies in place. The originals are
/// backed up first (<see cref="Backup"/>), the runtime the woven code calls is copied beside them and
/// entered in the app's deps.json, and a failure part way puts every original back.
/// </summary>
static class WeaveCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var target = new Argument<string>("folder|dll") { Description = "An app folder (dotnet publish or build output, with its *.deps.json) or one assembly file." };
        var include = new Option<string[]>("--include") { Description = "Weave only these members: Namespace.Type::Method, * as wildcard (FodyWeavers.xml Include). Also weaves the app's package assemblies that have a matching method." };
        var exclude = new Option<string[]>("--exclude") { Description = "Leave these members out (FodyWeavers.xml Exclude); exclude wins." };
        var redirect = new Option<string[]>("--redirect") { Description = "Also route the woven code's calls to these members of other assemblies through traps (FodyWeavers.xml Redirect)." };
        var trace = new Option<bool>("--trace-from-environment") { Description = "Let the woven app be traced when TRAPWEAVE_TRACE=<dir> is set (FodyWeavers.xml TraceFromEnvironment=\"true\"): traces hold argument values." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be woven and change nothing." };
        var verbose = new Option<bool>("--verbose") { Description = "Also print the weaver's messages and why methods were skipped." };
        var command = new Command("weave", "Weave built assemblies in place, with a backup that `trapweave restore` puts back.")
        {
            target, include, exclude, redirect, trace, dryRun, verbose,
        };
        command.SetAction(parse => TrapweaveCommand.Guarded(error, () => Run(
            parse.GetValue(target)!,
            parse.GetValue(include) ?? Array.Empty<string>(),
            parse.GetValue(exclude) ?? Array.Empty<string>(),
            parse.GetValue(redirect) ?? Array.Empty<string>(),
            parse.GetValue(trace),
            parse.GetValue(dryRun),
            parse.GetValue(verbose),
            output)));
        return command;
    }

    static int Run(string input, string[] include, string[] exclude, string[] redirect, bool traceFromEnvironment, bool dryRun, bool verbose, TextWriter output)
    {
        var config = WeaveOptions.ToConfig(include, exclude, redirect, traceFromEnvironment);
        var target = WeaveTarget.Resolve(input, config, includeGiven: include.Length > 0);
        if (Backup.Exists(target.Folder))
            throw new CliError($"'{target.Folder}' was woven by trapweave already (its backup is {Backup.FolderOf(target.Folder)}); weaving again is refused. Run `trapweave restore {target.Folder}` first.");

        var selected = target.Selected.ToList();
        var what = target.IsFolder ? "the app in " + target.Folder : target.Candidates[0].Path;
        output.WriteLine($"{(dryRun ? "Dry run, would weave" : "Weaving")} {what}:");
        foreach (var skipped in target.Candidates.Where(c => !c.IsSelected)) WeaveReport.Skipped(output, skipped);
        if (selected.Count == 0)
        {
            output.WriteLine(target.IsFolder
                ? $"Nothing to weave in {target.Folder}: no assembly of the app is selected (see above). Nothing was changed."
                : $"Nothing to do: {target.Candidates[0].FileName} is {target.Candidates[0].SkipReason}. Nothing was changed.");
            return 0;
        }

        var runtime = RuntimeFiles.Shipped();
        foreach (var file in runtime) CheckPresentCopy(target.Folder, file);
        var toCopy = runtime.Where(f => !File.Exists(Path.Combine(target.Folder, f.FileName))).ToList();
        var toEnter = target.Deps is null ? new List<RuntimeFiles.File>() : runtime.Where(f => !target.Deps.HasLibrary(f.Name)).ToList();

        var results = dryRun
            ? WeaveCopies(target, selected, runtime, config, verbose, output)
            : WeaveInPlace(target, selected, toCopy, toEnter, config, verbose, output);

        var methods = results.Sum(r => r.TrappedMethods);
        var sites = results.Sum(r => r.RedirectedCallSites);
        var woven = $"{results.Count} assembl{(results.Count == 1 ? "y" : "ies")} ({methods} methods trapped, {sites} call site{(sites == 1 ? "" : "s")} redirected)";
        var runtimeNote = (toCopy.Count == 0 ? "" : $"; {string.Join(", ", toCopy.Select(f => f.FileName))} {(dryRun ? "would be " : "")}copied in")
            + (toEnter.Count == 0 ? "" : $"; {string.Join(", ", toEnter.Select(f => f.FileName))} {(dryRun ? "would be " : "")}entered in {Path.GetFileName(target.Deps!.Path)}");
        if (dryRun)
            output.WriteLine($"Would weave {woven}{runtimeNote}. Dry run: nothing was changed.");
        else
            output.WriteLine($"Wove {woven}{runtimeNote}. Originals backed up in {Backup.FolderOf(target.Folder)}; `trapweave restore {target.Folder}` puts them back.");
        if (target.Deps is null && toCopy.Any(f => f.FileName == RuntimeFiles.RuntimeFileName))
            output.WriteLine($"No deps.json in {target.Folder} lists {target.Candidates[0].FileName}: the process that loads it must also find Trapweave.dll beside it.");
        return 0;
    }

    /// <summary>The dry run: weaves copies in a temporary folder (references resolved in the app's), reports, deletes them.</summary>
    static List<FileWeaveResult> WeaveCopies(WeaveTarget target, List<AssemblyCandidate> selected, IReadOnlyList<RuntimeFiles.File> runtime, WeaverConfig config, bool verbose, TextWriter output)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "trapweave-dry-run-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            foreach (var file in runtime)
            {
                var inApp = Path.Combine(target.Folder, file.FileName);
                File.Copy(File.Exists(inApp) ? inApp : file.Path, Path.Combine(scratch, file.FileName));
            }
            var results = new List<FileWeaveResult>();
            foreach (var candidate in selected)
            {
                foreach (var file in WithSymbols(candidate.Path))
                    File.Copy(file, Path.Combine(scratch, Path.GetFileName(file)), overwrite: true);
                var log = new CollectingWeaverLog(verbose ? output : null);
                var result = AssemblyFileWeaver.WeaveFile(Path.Combine(scratch, candidate.FileName), config, log, new[] { target.Folder });
                WeaveReport.Woven(output, result, log, verbose);
                results.Add(result);
            }
            return results;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    static List<FileWeaveResult> WeaveInPlace(WeaveTarget target, List<AssemblyCandidate> selected, List<RuntimeFiles.File> toCopy, List<RuntimeFiles.File> toEnter,
                                              WeaverConfig config, bool verbose, TextWriter output)
    {
        var toChange = selected.SelectMany(c => WithSymbols(c.Path)).ToList();
        if (toEnter.Count > 0) toChange.Add(target.Deps!.Path);
        var backup = Backup.Create(target.Folder, toChange, toCopy.Select(f => Path.Combine(target.Folder, f.FileName)));
        try
        {
            foreach (var file in toCopy)
                File.Copy(file.Path, Path.Combine(target.Folder, file.FileName));
            var results = new List<FileWeaveResult>();
            foreach (var candidate in selected)
            {
                var log = new CollectingWeaverLog(verbose ? output : null);
                var result = AssemblyFileWeaver.WeaveFile(candidate.Path, config, log, Array.Empty<string>());
                WeaveReport.Woven(output, result, log, verbose);
                results.Add(result);
            }
            foreach (var file in toEnter)
                target.Deps!.AddAppLocalLibrary(file.Name, RuntimeFiles.LibraryVersion(file), file.FileName, file.AssemblyVersion, file.FileVersion);
            if (toEnter.Count > 0) target.Deps!.Save();
            backup.RecordWoven();
            return results;
        }
        catch (Exception e)
        {
            backup.Restore();
            if (e is WeavingError or IOException or UnauthorizedAccessException or CliError)
                throw new CliError($"{e.Message} Every file of '{target.Folder}' is back as it was.", e);
            throw;
        }
    }

    /// <summary>A file of the runtime's name already in the folder (the app ships Trapweave) is used as it is; it must be that assembly.</summary>
    static void CheckPresentCopy(string folder, RuntimeFiles.File file)
    {
        var present = Path.Combine(folder, file.FileName);
        if (!File.Exists(present)) return;
        string? name;
        try { name = System.Reflection.AssemblyName.GetAssemblyName(present).Name; }
        catch (BadImageFormatException) { name = null; }
        if (!string.Equals(name, file.Name, StringComparison.Ordinal))
            throw new CliError($"'{present}' is in the way: the woven code needs the {file.Name} assembly there, and this file is {(name is null ? "not a .NET assembly" : "the assembly " + name)}. Remove it (weave then copies {file.Path}). Nothing was changed.");
    }

    /// <summary>The assembly and its PDB beside it, when there is one (an embedded PDB is inside the assembly).</summary>
    static IEnumerable<string> WithSymbols(string assembly)
    {
        yield return assembly;
        var pdb = Path.ChangeExtension(assembly, ".pdb");
        if (File.Exists(pdb)) yield return pdb;
    }
}
