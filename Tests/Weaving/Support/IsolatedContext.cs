using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace Trapweave.Tests.Weaving.Support;

/// <summary>
/// A collectible load context for one copy of an assembly (woven or not), resolving its references
/// from the copy's directory. "Trapweave" is left to the default context, so the woven code and the
/// test talk to the one runtime (and so the one <see cref="Trap"/>) already loaded there.
/// </summary>
public sealed class IsolatedContext : AssemblyLoadContext, IDisposable
{
    readonly string _directory;

    public IsolatedContext(string name, string directory) : base(name, isCollectible: true) => _directory = directory;

    public Assembly LoadCopy(string path) => LoadFromAssemblyPath(Path.GetFullPath(path));

    protected override Assembly Load(AssemblyName name)
    {
        if (name.Name == "Trapweave") return null;
        var loaded = Assemblies.FirstOrDefault(a => a.GetName().Name == name.Name);
        if (loaded is not null) return loaded;
        var candidate = Path.Combine(_directory, name.Name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    public void Dispose() => Unload();
}
