using System;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Trapweave.Fody.Core;

/// <summary>Small predicates over Cecil's model.</summary>
public static class CecilExtensions
{
    public const string NoTrapAttribute = "Trapweave.NoTrapAttribute";
    const string CompilerGenerated = "System.Runtime.CompilerServices.CompilerGeneratedAttribute";

    public static bool HasAttribute(this ICustomAttributeProvider provider, string fullName) =>
        provider.HasCustomAttributes && provider.CustomAttributes.Any(a => a.AttributeType.FullName == fullName);

    public static bool IsCompilerGenerated(this TypeDefinition type)
    {
        for (var t = type; t is not null; t = t.DeclaringType)
            if (t.Name.StartsWith("<", StringComparison.Ordinal) || t.HasAttribute(CompilerGenerated)) return true;
        return false;
    }

    /// <summary>Lambdas, local functions and other compiler-synthesised methods (auto-property accessors are not).</summary>
    public static bool IsCompilerGeneratedMethod(this MethodDefinition method) =>
        method.Name.StartsWith("<", StringComparison.Ordinal);

    public static bool IsNoTrap(this MethodDefinition method)
    {
        if (method.HasAttribute(NoTrapAttribute)) return true;
        if (method.IsGetter || method.IsSetter)
        {
            if (method.DeclaringType.Properties.Any(p => (p.GetMethod == method || p.SetMethod == method) && p.HasAttribute(NoTrapAttribute))) return true;
        }
        if (method.IsAddOn || method.IsRemoveOn)
        {
            if (method.DeclaringType.Events.Any(e => (e.AddMethod == method || e.RemoveMethod == method) && e.HasAttribute(NoTrapAttribute))) return true;
        }
        for (var t = method.DeclaringType; t is not null; t = t.DeclaringType)
            if (t.HasAttribute(NoTrapAttribute)) return true;
        return method.Module.Assembly.HasAttribute(NoTrapAttribute);
    }

    public static bool IsFinalizer(this MethodDefinition method) =>
        method.Name == "Finalize" && !method.HasParameters && method.IsVirtual && method.ReturnType.MetadataType == MetadataType.Void;

    public static bool IsStaticConstructor(this MethodDefinition method) => method.IsConstructor && method.IsStatic;

    public static bool IsRefLike(this TypeReference type)
    {
        var element = type is ByReferenceType byRef ? byRef.ElementType : type;
        if (element.FullName is "System.TypedReference" or "System.ArgIterator" or "System.RuntimeArgumentHandle") return true;
        if (element is GenericParameter) return false;
        try { return element.Resolve()?.HasAttribute("System.Runtime.CompilerServices.IsByRefLikeAttribute") == true; }
        catch (AssemblyResolutionException) { return false; }
    }

    /// <summary><c>Namespace.Outer+Inner::Method</c>, the form Include/Exclude patterns match.</summary>
    public static string PatternName(this MethodDefinition method) => method.DeclaringType.PatternName() + "::" + method.Name;

    public static string PatternName(this TypeDefinition type) =>
        type.DeclaringType is { } outer ? outer.PatternName() + "+" + type.Name : (type.Namespace.Length > 0 ? type.Namespace + "." + type.Name : type.Name);

    public static SequencePoint? FirstSequencePoint(this MethodDefinition method) =>
        method.DebugInformation.HasSequencePoints ? method.DebugInformation.SequencePoints.FirstOrDefault(s => !s.IsHidden) : null;
}
