using System.IO;
using Trapweave.Tasks;
using Trapweave.Tests.EndToEnd.Support;
using Trapweave.Tests.Weaving.Support;

namespace Trapweave.Tests.Weaving;

/// <summary>
/// The MSBuild task's check of a file before weaving it (Weaver.Tasks/AssemblyChecks.cs, compiled
/// into the tests). Mixed-mode images (TRAP007) only come from C++/CLI on Windows, so here they are
/// crafted: an IL library whose CLI header has ILOnly cleared. The end-to-end tests drive the same
/// check through real builds.
/// </summary>
public class AssemblyChecksTests
{
    [Fact]
    public void An_ordinary_assembly_can_be_woven()
    {
        using var dir = new TempDirectory("checks");
        var path = dir["Plain.dll"];
        File.WriteAllBytes(path, CraftedAssemblies.Library("Plain"));

        Assert.Null(AssemblyChecks.Problem(path, "Plain"));
    }

    [Fact]
    public void A_reference_assembly_is_TRAP006()
    {
        using var dir = new TempDirectory("checks");
        var path = dir["Contracts.dll"];
        File.WriteAllBytes(path, CraftedAssemblies.Library("Contracts", referenceAssembly: true));

        var problem = AssemblyChecks.Problem(path, "Contracts");

        Assert.NotNull(problem);
        Assert.Equal("TRAP006", problem.Value.Code);
        Assert.Contains("'Contracts' resolves to a reference assembly", problem.Value.Message);
    }

    [Fact]
    public void A_mixed_mode_image_is_TRAP007()
    {
        using var dir = new TempDirectory("checks");
        var path = dir["Native.Interop.dll"];
        File.WriteAllBytes(path, CraftedAssemblies.MixedModeLibrary("Native.Interop"));

        var problem = AssemblyChecks.Problem(path, "Native.Interop");

        Assert.NotNull(problem);
        Assert.Equal("TRAP007", problem.Value.Code);
        Assert.Contains("mixed-mode assembly", problem.Value.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_dotnet_assembly_is_TRAP007()
    {
        using var dir = new TempDirectory("checks");
        var path = dir["native.dll"];
        File.WriteAllBytes(path, new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0 });

        var problem = AssemblyChecks.Problem(path, "native");

        Assert.NotNull(problem);
        Assert.Equal("TRAP007", problem.Value.Code);
        Assert.Contains("not a .NET assembly", problem.Value.Message);
    }
}
