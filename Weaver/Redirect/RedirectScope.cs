using System;
using System.Linq;
using Mono.Cecil;
using Trapweave.Fody.Core;

namespace Trapweave.Fody.Redirect;

/// <summary>
/// Which method bodies get their call sites redirected: every body the user's code compiles to,
/// including what the compiler generates for it (async and iterator state machines, lambdas, local
/// functions, field initialisers in constructors), unless the user member it belongs to is
/// <c>[NoTrap]</c> or left out by Include/Exclude.
/// </summary>
public sealed class RedirectScope
{
    readonly WeaverConfig _config;

    public RedirectScope(WeaverConfig config) => _config = config;

    public bool Covers(MethodDefinition method)
    {
        if (!method.HasBody) return false;
        var type = method.DeclaringType;
        if (type.FullName == TrapTableBuilder.TypeName || type.DeclaringType?.FullName == TrapTableBuilder.TypeName || RedirectStubFactory.IsRedirectType(type))
            return false;
        var (ownerType, ownerName, owner) = Owner(method);
        if (owner is not null ? owner.IsNoTrap() : ownerType.IsNoTrapType()) return false;
        return _config.Selects(ownerType.PatternName() + "::" + ownerName);
    }

    /// <summary>
    /// The user member a body belongs to: itself, or for compiler-generated code the method named in
    /// the generated names (<c>&lt;Load&gt;d__3.MoveNext</c>, <c>&lt;&gt;c.&lt;Load&gt;b__3_0</c>,
    /// <c>&lt;Load&gt;g__Local|3_0</c>), in the first type that is not compiler-generated.
    /// </summary>
    public static (TypeDefinition Type, string Name, MethodDefinition? Method) Owner(MethodDefinition method)
    {
        var name = GeneratedOwnerName(method.Name);
        var type = method.DeclaringType;
        while (IsGeneratedType(type) && type.DeclaringType is { } outer)
        {
            name ??= GeneratedOwnerName(type.Name);
            type = outer;
        }
        if (name is null) return (type, method.Name, method.DeclaringType == type ? method : null);
        var owner = type.Methods.FirstOrDefault(m => m.Name == name);
        // Top-level statements compile to <Main>$, which is itself the user's code.
        if (owner is null && method.DeclaringType == type) return (type, method.Name, method);
        return (type, name, owner);
    }

    static bool IsGeneratedType(TypeDefinition type) =>
        type.Name.StartsWith("<", StringComparison.Ordinal) || type.HasAttribute("System.Runtime.CompilerServices.CompilerGeneratedAttribute");

    /// <summary><c>Load</c> from <c>&lt;Load&gt;…</c>; null when the name is not of that form or names no member (<c>&lt;&gt;c</c>).</summary>
    static string? GeneratedOwnerName(string name)
    {
        if (!name.StartsWith("<", StringComparison.Ordinal)) return null;
        var end = name.IndexOf('>');
        return end > 1 ? name.Substring(1, end - 1) : null;
    }
}

static class NoTrapTypes
{
    public static bool IsNoTrapType(this TypeDefinition type)
    {
        for (var t = type; t is not null; t = t.DeclaringType)
            if (t.HasAttribute(CecilExtensions.NoTrapAttribute)) return true;
        return type.Module.Assembly.HasAttribute(CecilExtensions.NoTrapAttribute);
    }
}
