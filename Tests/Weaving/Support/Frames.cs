using System.Diagnostics;
using System.IO;
using System.Reflection;

namespace Trapweave.Tests.Weaving.Support;

/// <summary>One stack frame in a fixture assembly: what a stack trace tells a user.</summary>
public sealed record Frame(string Method, string File, int Line, int Column)
{
    public override string ToString() => $"{Method} at {File}:{Line}:{Column}";

    /// <summary>
    /// The frames of <paramref name="exception"/> that run code of <paramref name="assembly"/>, innermost
    /// first, as its stack trace's text lists them: without the frames it hides (StackFrame lists them
    /// too), such as a trap table's dispatcher in unoptimized code.
    /// </summary>
    public static Frame[] Of(Exception exception, Assembly assembly) =>
        new StackTrace(exception, fNeedFileInfo: true).GetFrames()
            .Where(f => f.GetMethod()?.Module.Assembly == assembly && !IsHidden(f.GetMethod()!))
            .Select(f => new Frame(
                f.GetMethod()!.DeclaringType?.Name + "." + f.GetMethod()!.Name,
                Path.GetFileName(f.GetFileName() ?? ""),
                f.GetFileLineNumber(),
                f.GetFileColumnNumber()))
            .ToArray();

    /// <summary>What .NET leaves out of a stack trace's text: <see cref="StackTraceHiddenAttribute"/> on the method or its type, and aggressively inlined methods.</summary>
    public static bool IsHidden(MethodBase method) =>
        method.MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveInlining) ||
        method.IsDefined(typeof(StackTraceHiddenAttribute), false) ||
        method.DeclaringType?.IsDefined(typeof(StackTraceHiddenAttribute), false) == true;
}
