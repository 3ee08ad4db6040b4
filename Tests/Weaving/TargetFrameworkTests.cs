using Trapweave.Fody.Core;

namespace Trapweave.Tests.Weaving;

/// <summary>Which [TargetFramework] names the Fody add-in leaves unwoven (TRAP010): runtimes before .NET 8.</summary>
public sealed class TargetFrameworkTests
{
    [Theory]
    [InlineData(".NETFramework,Version=v4.6.2", true)]
    [InlineData(".NETFramework,Version=v4.8.1", true)]
    [InlineData(".NETCoreApp,Version=v3.1", true)]
    [InlineData(".NETCoreApp,Version=v6.0", true)]
    [InlineData(".NETCoreApp,Version=v7.0", true)]
    [InlineData(".NETCoreApp,Version=v8.0", false)]
    [InlineData(".NETCoreApp,Version=v10.0", false)]
    [InlineData(".NETStandard,Version=v2.0", false)]
    [InlineData(".NETStandard,Version=v2.1", false)]
    public void Runtimes_before_NET_8_are_unsupported(string frameworkName, bool unsupported) =>
        Assert.Equal(unsupported, TargetFramework.IsUnsupported(frameworkName));

    [Fact]
    public void This_test_assembly_built_for_net10_is_supported()
    {
        using var module = Mono.Cecil.ModuleDefinition.ReadModule(typeof(TargetFrameworkTests).Assembly.Location);
        Assert.False(TargetFramework.IsUnsupported(module));
    }
}
