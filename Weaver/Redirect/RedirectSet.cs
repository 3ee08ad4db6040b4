using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Trapweave.Fody.Core;

namespace Trapweave.Fody.Redirect;

/// <summary>
/// Which external members a module's call sites are redirected for: the default set (unless
/// <c>DefaultRedirects="false"</c>) plus the <c>Redirect</c> patterns. (Patterns that match
/// nothing are reported from the built files, <see cref="RedirectPatternCheck"/>.)
/// </summary>
public sealed class RedirectSet
{
    static readonly MemberPatterns Defaults = MemberPatterns.Parse(string.Join(";", DefaultRedirects.Entries.Select(e => e.Pattern)));

    readonly MemberPatterns _user;
    readonly bool _defaults;
    readonly Dictionary<string, bool> _decided = new(StringComparer.Ordinal);
    // Cecil reads one MethodReference per MemberRef token: most call sites of a member share it,
    // so the answer is found without building its names again.
    readonly Dictionary<MethodReference, bool> _byReference = new(ReferenceComparer.Instance);

    public RedirectSet(WeaverConfig config)
    {
        _user = config.Redirect;
        _defaults = config.DefaultRedirects;
    }

    public bool IsEmpty => !_defaults && _user.Parts.Count == 0;

    /// <summary>Whether calls to <paramref name="member"/> (a member of another assembly) are redirected.</summary>
    public bool Redirects(MethodReference member)
    {
        if (_byReference.TryGetValue(member, out var seen)) return seen;
        var result = Decide(member);
        _byReference[member] = result;
        return result;
    }

    bool Decide(MethodReference member)
    {
        var names = member.PatternNames();
        var key = names[0];
        if (_decided.TryGetValue(key, out var known)) return known;
        var result = false;
        foreach (var name in names)
        {
            if (_defaults && Defaults.Matches(name)) result = true;
            if (_user.Matches(name)) result = true;
        }
        _decided[key] = result;
        return result;
    }
}

sealed class ReferenceComparer : IEqualityComparer<MethodReference>
{
    public static readonly ReferenceComparer Instance = new();
    public bool Equals(MethodReference? x, MethodReference? y) => ReferenceEquals(x, y);
    public int GetHashCode(MethodReference obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
}

static class RedirectNames
{
    /// <summary>
    /// <c>Namespace.Type::Member</c> of a referenced member, with generic arity (<c>List`1</c>) and
    /// without (<c>List</c>), so patterns may use either.
    /// </summary>
    public static string[] PatternNames(this MethodReference member)
    {
        var type = member.DeclaringType.GetElementType();
        var withArity = TypeName(type, keepArity: true) + "::" + member.Name;
        var without = TypeName(type, keepArity: false) + "::" + member.Name;
        return withArity == without ? new[] { withArity } : new[] { withArity, without };
    }

    static string TypeName(TypeReference type, bool keepArity)
    {
        var name = keepArity ? type.Name : StripArity(type.Name);
        if (type.DeclaringType is { } outer) return TypeName(outer.GetElementType(), keepArity) + "+" + name;
        return type.Namespace.Length > 0 ? type.Namespace + "." + name : name;
    }

    static string StripArity(string name)
    {
        var tick = name.IndexOf('`');
        return tick < 0 ? name : name.Substring(0, tick);
    }
}
