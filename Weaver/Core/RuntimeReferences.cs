using System.Linq;
using Mono.Cecil;

namespace Trapweave.Fody.Core;

/// <summary>
/// References the woven module needs: the Trapweave runtime's dispatch entry and a few core types,
/// all taken from the module's own references (never from the weaver's process).
/// </summary>
public sealed class RuntimeReferences
{
    public const string RuntimeAssemblyName = "Trapweave";

    public RuntimeReferences(ModuleDefinition module)
    {
        Module = module;
        var corlib = module.TypeSystem.CoreLibrary;
        Delegate = new TypeReference("System", "Delegate", module, corlib);
        MulticastDelegate = new TypeReference("System", "MulticastDelegate", module, corlib);
        RuntimeTypeHandle = new TypeReference("System", "RuntimeTypeHandle", module, corlib, valueType: true);
        Runtime = ReferenceRuntime(module);

        var dispatch = new TypeReference("Trapweave", "TrapDispatch", module, Runtime);
        Lookup = new MethodReference("Lookup", Delegate, dispatch) { HasThis = false };
        Lookup.Parameters.Add(new ParameterDefinition(module.TypeSystem.Int32));
        Lookup.Parameters.Add(new ParameterDefinition(RuntimeTypeHandle));
    }

    public ModuleDefinition Module { get; }
    public AssemblyNameReference Runtime { get; }
    public TypeReference Delegate { get; }
    public TypeReference MulticastDelegate { get; }
    public TypeReference RuntimeTypeHandle { get; }
    /// <summary><c>Delegate TrapDispatch.Lookup(int slot, RuntimeTypeHandle handlerType)</c>.</summary>
    public MethodReference Lookup { get; }

    static AssemblyNameReference ReferenceRuntime(ModuleDefinition module)
    {
        var existing = module.AssemblyReferences.FirstOrDefault(r => r.Name == RuntimeAssemblyName);
        if (existing is not null) return existing;

        AssemblyDefinition? runtime;
        try { runtime = module.AssemblyResolver.Resolve(new AssemblyNameReference(RuntimeAssemblyName, null)); }
        catch (AssemblyResolutionException) { runtime = null; }
        if (runtime is null)
            throw new WeavingError($"The Trapweave runtime (Trapweave.dll) could not be found for '{module.Assembly.Name.Name}'. Add <PackageReference Include=\"Trapweave\" /> to the project whose output is woven.");

        var name = runtime.Name;
        var reference = new AssemblyNameReference(name.Name, name.Version) { PublicKeyToken = name.PublicKeyToken, Culture = name.Culture };
        module.AssemblyReferences.Add(reference);
        return reference;
    }
}

/// <summary>A weaving failure to report as a build error (not a weaver bug).</summary>
public sealed class WeavingError : System.Exception
{
    public WeavingError(string message, MethodDefinition? method = null) : base(message) => Method = method;
    public WeavingError(string message, System.Exception inner) : base(message, inner) { }
    public MethodDefinition? Method { get; }
}
