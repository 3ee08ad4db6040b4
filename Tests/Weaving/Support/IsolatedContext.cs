using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace Trapweave.Tests.Weaving.Support;

/// <summary>
/// A load context (collectible unless asked otherwise) for one copy of an assembly (woven or not), resolving its references
/// from the copy's directory. "Trapweave" is left to the default context, so the woven code and the
/// test talk to the one runtime (and so the one <see cref="Trap"/>) already loaded there. Native
/// libraries the copy imports are found in <c>nativeDirectory</c> when one is given.
/// </summary>
public sealed class IsolatedContext : AssemblyLoadContext, IDisposable
{
    readonly string _directory;
    readonly string _nativeDirectory;

    /// <param name="collectible">False for code that must be compiled as in the default context: the runtime does not tier
    /// code in a collectible context (straight to full optimization, no dynamic PGO), which skews a benchmark's start-up and throughput.</param>
    public IsolatedContext(string name, string directory, string nativeDirectory = null, bool collectible = true) : base(name, isCollectible: collectible)
    {
        _directory = directory;
        _nativeDirectory = nativeDirectory;
    }

    public Assembly LoadCopy(string path) => LoadFromAssemblyPath(Path.GetFullPath(path));

    protected override Assembly Load(AssemblyName name)
    {
        if (name.Name == "Trapweave") return null;
        var loaded = Assemblies.FirstOrDefault(a => a.GetName().Name == name.Name);
        if (loaded is not null) return loaded;
        var candidate = Path.Combine(_directory, name.Name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        if (_nativeDirectory is null) return IntPtr.Zero;
        foreach (var file in new[] { unmanagedDllName, "lib" + unmanagedDllName + ".so", unmanagedDllName + ".dll", "lib" + unmanagedDllName + ".dylib" })
        {
            var candidate = Path.Combine(_nativeDirectory, file);
            if (File.Exists(candidate)) return LoadUnmanagedDllFromPath(candidate);
        }
        return IntPtr.Zero;
    }

    public void Dispose()
    {
        if (IsCollectible) Unload();
    }
}
