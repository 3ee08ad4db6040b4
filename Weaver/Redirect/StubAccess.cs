using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Trapweave.Fody.Redirect;

/// <summary>
/// Whether a stub in <c>&lt;Trapweave&gt;Redirects</c> may call a member the woven code calls. A call site
/// inside a derived class may use its base's protected members; a stub, in a class of its own,
/// may not (the JIT throws <see cref="MethodAccessException"/>), so such sites are left alone.
/// Internal members are reachable exactly when the call site's are (the assembly is a friend).
/// </summary>
sealed class StubAccess
{
    readonly ModuleDefinition _module;
    readonly Dictionary<string, bool> _known = new(StringComparer.Ordinal);

    public StubAccess(ModuleDefinition module) => _module = module;

    public bool StubCanReach(MethodReference called)
    {
        var element = called is GenericInstanceMethod g ? g.ElementMethod : called;
        var key = element.DeclaringType.GetElementType().FullName + "::" + element.FullName;
        if (_known.TryGetValue(key, out var known)) return known;
        var result = Decide(element);
        _known[key] = result;
        return result;
    }

    bool Decide(MethodReference member)
    {
        MethodDefinition? definition;
        try { definition = member.Resolve(); }
        catch (AssemblyResolutionException) { return false; }
        if (definition is null) return false;
        if (!Reachable(definition.Attributes & MethodAttributes.MemberAccessMask, definition.Module)) return false;
        for (var type = definition.DeclaringType; type is not null; type = type.DeclaringType)
            if (!Reachable(type)) return false;
        return true;
    }

    bool Reachable(MethodAttributes access, ModuleDefinition owner) => access switch
    {
        MethodAttributes.Public => true,
        MethodAttributes.Assembly => true,
        MethodAttributes.FamORAssem => IsFriend(owner),
        _ => false,
    };

    bool Reachable(TypeDefinition type)
    {
        if (!type.IsNested) return true;
        var visibility = type.Attributes & TypeAttributes.VisibilityMask;
        return visibility switch
        {
            TypeAttributes.NestedPublic => true,
            TypeAttributes.NestedAssembly => true,
            TypeAttributes.NestedFamORAssem => IsFriend(type.Module),
            _ => false,
        };
    }

    /// <summary>Whether <paramref name="owner"/>'s assembly gives this one access to its internals.</summary>
    bool IsFriend(ModuleDefinition owner)
    {
        var name = _module.Assembly.Name.Name;
        return owner.Assembly.CustomAttributes
            .Where(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.InternalsVisibleToAttribute")
            .Select(a => a.ConstructorArguments.FirstOrDefault().Value as string)
            .Any(friend => friend is not null && friend.Split(',')[0].Trim() == name);
    }
}
