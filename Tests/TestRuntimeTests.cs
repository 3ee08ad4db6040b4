using System.Reflection;
using System.Runtime.Versioning;

namespace Trapweave.Tests;

/// <summary>
/// The run is on the runtime the tests were built for: build/test-runtimes.sh builds them for .NET 8
/// and 9 self-contained, and nothing may roll them forward to the installed .NET 10 unnoticed.
/// </summary>
public class TestRuntimeTests
{
    [Fact]
    public void The_tests_run_on_the_runtime_they_target()
    {
        var target = new FrameworkName(typeof(TestRuntimeTests).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName);

        Assert.Equal(".NETCoreApp", target.Identifier);
        Assert.Equal(target.Version.Major, Environment.Version.Major);
    }
}
