using System.Linq;
using Mono.Cecil;

namespace Trapweave.Fody.Core;

/// <summary>Decides which methods get a trap prologue, and says why a method does not.</summary>
public sealed class MethodSelector
{
    readonly WeaverConfig _config;

    public MethodSelector(WeaverConfig config) => _config = config;

    public bool ShouldTrap(TypeDefinition type) =>
        type.Name != "<Module>" && type.FullName != TrapTableBuilder.TypeName && !type.IsCompilerGenerated() && !type.IsDelegate();

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
