namespace Trapweave.Tests;

/// <summary>
/// Why a test is skipped on an older runtime (build/test-runtimes.sh builds the tests for .NET 8
/// and 9 too). Such a test is compiled for the runtimes it can run on, and elsewhere replaced by a
/// skipped test of the same name with one of these reasons, so every run lists what it left out.
/// A test that depends on how the process is deployed is a <see cref="FrameworkDependentFactAttribute"/>.
/// </summary>
static class RuntimeLimits
{
    public const string AllowsRefStruct =
        "needs .NET 9 or later: 'allows ref struct' type parameters are a .NET 9 runtime feature (CS9240 on net8.0)";

    public const string CreateVersion7 = "needs .NET 9 or later: Guid.CreateVersion7 is new in .NET 9";

    /// <summary>
    /// Before .NET 10, Environment.TickCount64 is an internal call (native code in the runtime, no IL),
    /// so the native fallback cannot patch it: only woven code's calls to it are intercepted there.
    /// </summary>
    public const string TickCount64IsInternalCall =
        "before .NET 10, Environment.TickCount64 is an internal call (no IL): the native fallback cannot patch it, only redirected calls are intercepted";

    /// <summary>Whether .NET runs from the app's own directory (the .NET 8 and 9 runs) rather than a shared framework.</summary>
    public static bool SelfContained =>
        string.Equals(System.IO.Path.GetDirectoryName(typeof(object).Assembly.Location),
                      System.IO.Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory), StringComparison.Ordinal);

    /// <summary>
    /// Default redirect set entries whose members this runtime does not have, so no fixture can
    /// call them (DefaultSetCoverageTests checks that they are indeed missing).
    /// </summary>
    public static readonly string[] DefaultSetEntriesMissingHere =
#if NET9_0_OR_GREATER
        [];
#else
        ["System.Guid::CreateVersion7"];
#endif
}
