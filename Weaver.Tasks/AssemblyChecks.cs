using System;
using System.Linq;
using Mono.Cecil;

namespace Trapweave.Tasks;

/// <summary>Why an assembly file cannot be woven, if it cannot: reference assemblies and mixed-mode images.</summary>
internal static class AssemblyChecks
{
    public const string ReferenceAssembly = "TRAP006";
    public const string MixedMode = "TRAP007";

    /// <summary>(code, message) of the problem, or null when the file can be woven.</summary>
    public static (string Code, string Message)? Problem(string path, string name)
    {
        try
        {
            using var module = ModuleDefinition.ReadModule(path, new ReaderParameters(ReadingMode.Deferred));
            if (module.Assembly.CustomAttributes.Any(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.ReferenceAssemblyAttribute"))
                return (ReferenceAssembly, $"'{name}' resolves to a reference assembly ({path}), which has no method bodies to weave. Reference the implementation assembly (for a NuGet package, one with a lib/ folder), or remove '{name}' from References.");
            if ((module.Attributes & ModuleAttributes.ILOnly) == 0)
                return (MixedMode, $"'{name}' ({path}) is a mixed-mode assembly (it contains native code), which cannot be rewritten. Remove '{name}' from References.");
            return null;
        }
        catch (BadImageFormatException e)
        {
            return (MixedMode, $"'{name}' ({path}) is not a .NET assembly that can be woven: {e.Message}");
        }
    }
}
