using System.Text.RegularExpressions;

namespace Trapweave.Tests.EndToEnd.Support;

/// <summary>An MSBuild diagnostic in its canonical form: <c>file(line,col): error CODE: message [project]</c>.</summary>
public sealed record BuildDiagnostic(string File, int Line, int Column, string Severity, string Code, string Message)
{
    public override string ToString() => $"{File}({Line},{Column}): {Severity} {Code}: {Message}";
}

public static class BuildOutput
{
    static readonly Regex Canonical = new(
        @"^\s*(?:\d+(?::\d+)?>)?\s*(?<file>[^\s].*?)(?:\((?<line>\d+),(?<col>\d+)\))?\s*:\s*(?<severity>error|warning) (?<code>[A-Za-z]+\d+)\s*:\s*(?<message>.*?)(?:\s+\[(?<project>[^\]]+)\])?\s*$",
        RegexOptions.CultureInvariant);

    /// <summary>The diagnostics a build printed, each once (MSBuild repeats them in its summary).</summary>
    public static BuildDiagnostic[] Diagnostics(this ProcessResult result) =>
        result.Lines.Select(l => Canonical.Match(l)).Where(m => m.Success)
            .Select(m => new BuildDiagnostic(
                m.Groups["file"].Value.Trim(),
                m.Groups["line"].Success ? int.Parse(m.Groups["line"].Value) : 0,
                m.Groups["col"].Success ? int.Parse(m.Groups["col"].Value) : 0,
                m.Groups["severity"].Value, m.Groups["code"].Value, m.Groups["message"].Value))
            .Distinct()
            .ToArray();

    public static BuildDiagnostic[] Errors(this ProcessResult result) => result.Diagnostics().Where(d => d.Severity == "error").ToArray();
}
