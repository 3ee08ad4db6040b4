using System.IO;
using System.Net.Http;
using Trapweave.Internal;

namespace Trapweave.Tests.Redirect;

/// <summary>
/// Which loaded assemblies are part of .NET (the messages for members neither woven nor redirected
/// depend on it), in a framework-dependent process (.NET 10 here) and a self-contained one (the
/// .NET 8 and 9 runs), where .NET's files sit beside the app's and the deps.json tells them apart.
/// </summary>
public class FrameworkAssembliesTests
{
    [Fact]
    public void NET_assemblies_are_part_of_NET_and_the_app_s_are_not()
    {
        Assert.True(FrameworkAssemblies.Contains(typeof(object).Assembly));
        Assert.True(FrameworkAssemblies.Contains(typeof(HttpClient).Assembly));
        Assert.True(FrameworkAssemblies.Contains(typeof(Enumerable).Assembly));

        Assert.False(FrameworkAssemblies.Contains(typeof(Trap).Assembly));
        Assert.False(FrameworkAssemblies.Contains(typeof(Fixtures.StaticMethods).Assembly));
        Assert.False(FrameworkAssemblies.Contains(typeof(External.Uncalled).Assembly));
        Assert.False(FrameworkAssemblies.Contains(typeof(FactAttribute).Assembly));
        Assert.False(FrameworkAssemblies.Contains(typeof(FrameworkAssembliesTests).Assembly));
    }

    [Fact]
    public void Only_a_shared_framework_directory_has_a_shared_root()
    {
        var shared = Path.Combine("/opt", "dotnet", "shared");
        Assert.Equal(shared, FrameworkAssemblies.SharedRootOf(Path.Combine(shared, "Microsoft.NETCore.App", "8.0.31")));
        Assert.Null(FrameworkAssemblies.SharedRootOf(Path.Combine("/src", "app", "bin", "Debug", "net8.0", "linux-x64")));
    }

    [Fact]
    public void A_self_contained_app_s_NET_files_are_its_runtime_pack_assets()
    {
        const string deps = """
            {
              "targets": {
                ".NETCoreApp,Version=v8.0": {},
                ".NETCoreApp,Version=v8.0/linux-x64": {
                  "App/1.0.0": { "dependencies": { "Lib": "2.0.0" }, "runtime": { "App.dll": {} } },
                  "Lib/2.0.0": { "runtime": { "lib/net8.0/Lib.dll": {} } },
                  "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.31": {
                    "runtime": { "System.Net.Http.dll": { "assemblyVersion": "8.0.0.0" }, "System.Private.CoreLib.dll": {} },
                    "native": { "libcoreclr.so": {} }
                  }
                }
              },
              "libraries": {
                "App/1.0.0": { "type": "project" },
                "Lib/2.0.0": { "type": "package" },
                "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.31": { "type": "runtimepack" }
              }
            }
            """;

        var files = FrameworkAssemblies.RuntimePackFilesOf(new[] { deps, "not json" });

        Assert.Equal(new[] { "System.Net.Http.dll", "System.Private.CoreLib.dll" }, files.OrderBy(f => f, StringComparer.Ordinal));
    }
}
