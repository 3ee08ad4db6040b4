using System.Diagnostics;
using System.IO;
using System.Reflection;

namespace Trapweave.Tests.Weaving.Support;

/// <summary>One stack frame in a fixture assembly: what a stack trace tells a user.</summary>
public sealed record Frame(string Method, string File, int Line, int Column)
{
    public override string ToString() => $"{Method} at {File}:{Line}:{Column}";

    /// <summary>The frames of <paramref name="exception"/> that run code of <paramref name="assembly"/>, innermost first.</summary>
    public static Frame[] Of(Exception exception, Assembly assembly) =>
        new StackTrace(exception, fNeedFileInfo: true).GetFrames()
            .Where(f => f.GetMethod()?.Module.Assembly == assembly)
            .Select(f => new Frame(
                f.GetMethod()!.DeclaringType?.Name + "." + f.GetMethod()!.Name,
                Path.GetFileName(f.GetFileName() ?? ""),
                f.GetFileLineNumber(),
                f.GetFileColumnNumber()))
            .ToArray();
}
