namespace Trapweave.Tests;

/// <summary>
/// A test that needs .NET to run from a shared framework, as it does for MSBuild (where the weaver
/// runs) and for framework-dependent test runs; skipped, with the reason, in a self-contained run.
/// </summary>
sealed class FrameworkDependentFactAttribute : FactAttribute
{
    public FrameworkDependentFactAttribute(string reason)
    {
        if (RuntimeLimits.SelfContained) Skip = "needs a framework-dependent process, and this run is self-contained: " + reason;
    }
}
