using System.Linq;
using Mono.Cecil;

namespace Trapweave.Fody.Core;

/// <summary>Decides which methods get a trap prologue, and says why a method does not.</summary>
public sealed class MethodSelector
{
    readonly WeaverConfig _config;

    public MethodSelector(WeaverConfig config) => _config = config;

    public bool ShouldTrap(TypeDefinition type) => SkipType(type) is null;

    /// <summary>Null when the type's methods are considered one by one, else why none of them is trapped.</summary>
    public string? SkipType(TypeDefinition type)
    {
        if (type.Name == "<Module>" || type.FullName == TrapTableBuilder.TypeName) return "it belongs to the module type";
        if (type.IsCompilerGenerated()) return "its type is compiler-generated";
        if (type.IsDelegate()) return "it is a delegate's runtime-implemented method";
        return null;
    }

    /// <summary>Null when the method is trapped, else the reason it is left alone.</summary>
    public string? Skip(MethodDefinition method)
    {
        if (!method.HasBody) return "it has no body";
        if (method.IsStaticConstructor()) return "static constructors are never trapped";
        if (method.IsFinalizer()) return "finalizers are never trapped";
        if (method.IsCompilerGeneratedMethod()) return "it is compiler-generated";
        if (method.CallingConvention == MethodCallingConvention.VarArg) return "varargs methods cannot be trapped";
        if (method.Parameters.Any(p => p.ParameterType.FullName is "System.TypedReference" or "System.ArgIterator" or "System.RuntimeArgumentHandle"))
            return "TypedReference and ArgIterator parameters cannot be passed on";
        if (method.ReturnType.FullName == "System.TypedReference") return "TypedReference results cannot be passed on";
        if (method.IsNoTrap()) return "it is marked [NoTrap]";
        if (!_config.Selects(method.PatternName())) return "Include/Exclude leave it out";
        return null;
    }
}

static class TypeDefinitionExtensions
{
    public static bool IsDelegate(this TypeDefinition type) => type.BaseType?.FullName == "System.MulticastDelegate";
}
