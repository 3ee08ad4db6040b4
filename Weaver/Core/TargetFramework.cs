using System;
using System.Linq;
using Mono.Cecil;

namespace Trapweave.Fody.Core;

/// <summary>Which runtime an assembly was built for, as far as weaving cares: Trapweave runs on .NET 8 and later only.</summary>
public static class TargetFramework
{
    /// <summary>
    /// True for an assembly built for a runtime Trapweave does not run on: its [TargetFramework] names
    /// .NET Framework, or .NET Core / .NET before 8; without that attribute, when its core library is
    /// mscorlib. netstandard assemblies are woven: they run where they are loaded, and a .NET 8+
    /// process has the real runtime.
    /// </summary>
    public static bool IsUnsupported(ModuleDefinition module)
    {
        var attribute = module.Assembly?.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == "System.Runtime.Versioning.TargetFrameworkAttribute");
        if (attribute is { ConstructorArguments.Count: > 0 } && attribute.ConstructorArguments[0].Value is string name)
            return IsUnsupported(name);
        return module.AssemblyReferences.Any(r => r.Name == "mscorlib") && !module.AssemblyReferences.Any(r => r.Name is "netstandard" or "System.Runtime");
    }

    /// <summary>For a framework name as [TargetFramework] writes it, e.g. ".NETFramework,Version=v4.7.2" or ".NETCoreApp,Version=v6.0".</summary>
    public static bool IsUnsupported(string frameworkName)
    {
        var parts = frameworkName.Split(',');
        var identifier = parts[0].Trim();
        if (identifier.Equals(".NETFramework", StringComparison.OrdinalIgnoreCase)) return true;
        if (!identifier.Equals(".NETCoreApp", StringComparison.OrdinalIgnoreCase)) return false;
        var version = parts.Skip(1).Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("Version=", StringComparison.OrdinalIgnoreCase));
        return version is not null && Version.TryParse(version.Substring("Version=".Length).TrimStart('v', 'V'), out var v) && v.Major < 8;
    }
}
