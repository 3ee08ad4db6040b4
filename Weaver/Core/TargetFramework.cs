using System;
using System.Linq;
using Mono.Cecil;

namespace Trapweave.Fody.Core;

/// <summary>Which runtime an assembly was built for, as far as weaving cares: Trapweave runs on .NET 8+, never on .NET Framework.</summary>
public static class TargetFramework
{
    /// <summary>
    /// True for an assembly built for .NET Framework: its [TargetFramework] says ".NETFramework", or,
    /// without that attribute, its core library is mscorlib.
    /// </summary>
    public static bool IsNetFramework(ModuleDefinition module)
    {
        var attribute = module.Assembly?.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == "System.Runtime.Versioning.TargetFrameworkAttribute");
        if (attribute is { ConstructorArguments.Count: > 0 } && attribute.ConstructorArguments[0].Value is string name)
            return name.StartsWith(".NETFramework,", StringComparison.OrdinalIgnoreCase);
        return module.AssemblyReferences.Any(r => r.Name == "mscorlib") && !module.AssemblyReferences.Any(r => r.Name is "netstandard" or "System.Runtime");
    }
}
