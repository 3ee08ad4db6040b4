namespace Trapweave.Cli;

/// <summary>An assembly file of the target and, when it is not woven, why (one line of the output).</summary>
sealed record AssemblyCandidate(string Path, string? SkipReason)
{
    public string FileName => System.IO.Path.GetFileName(Path);
    public bool IsSelected => SkipReason is null;
}
