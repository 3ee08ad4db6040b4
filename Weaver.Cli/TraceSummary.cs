using System;
using System.IO;
using System.Linq;
using Trapweave.Tracing;

namespace Trapweave.Cli;

/// <summary>What <c>trapweave trace &lt;file&gt;</c> prints without <c>--format</c>: a few lines about the trace.</summary>
static class TraceSummary
{
    const int Longest = 5;

    public static void Write(TextWriter output, CallTrace trace, string path)
    {
        var calls = trace.AllCalls().ToList();
        var errors = calls.Count(c => c.Exception is not null);
        var arranged = calls.Count(c => c.Arranged);
        var flows = calls.Select(c => c.FlowId).Distinct().Count();
        output.WriteLine($"{Path.GetFileName(path)}: {(trace.Name is null ? "" : trace.Name + ", ")}{trace.Process.Name} ({trace.Process.Id}, {trace.Process.Runtime}), started {trace.StartedAt:u}, {Duration(trace.DurationNs)}");
        output.WriteLine($"  {trace.Roots.Count} root call{(trace.Roots.Count == 1 ? "" : "s")}, {trace.CallCount} calls in {flows} flow{(flows == 1 ? "" : "s")}, {errors} threw, {arranged} answered by an arrangement");
        if (trace.Truncated is { } truncated)
            output.WriteLine($"  truncated at its cap of {(truncated.Limit == "bytes" ? $"{truncated.MaxRenderedBytes:N0} rendered bytes" : $"{truncated.MaxCalls:N0} calls")}: {truncated.DroppedCalls} calls and {truncated.DroppedValues} values dropped");
        if (calls.Count == 0) return;
        output.WriteLine("  longest calls:");
        foreach (var call in calls.OrderByDescending(c => c.DurationNs).ThenBy(c => c.Id).Take(Longest))
            output.WriteLine($"    {Duration(call.DurationNs),10}  {call.Method}{(call.Exception is null ? "" : " threw " + call.Exception.Type)}{(call.Completed ? "" : " (still running)")}");
        var thrown = calls.Where(c => c.Exception is not null).Take(Longest).ToList();
        if (thrown.Count == 0) return;
        output.WriteLine("  errors:");
        foreach (var call in thrown)
            output.WriteLine($"    {call.Method} threw {call.Exception!.Type}: {call.Exception.Message}");
    }

    static string Duration(long ns) => ns switch
    {
        < 10_000 => $"{ns} ns",
        < 10_000_000 => $"{ns / 1000.0:0.#} µs",
        < 10_000_000_000 => $"{ns / 1_000_000.0:0.#} ms",
        _ => $"{ns / 1_000_000_000.0:0.##} s",
    };
}
