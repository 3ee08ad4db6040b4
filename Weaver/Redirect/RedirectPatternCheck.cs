using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Trapweave.Fody.Core;

namespace Trapweave.Fody.Redirect;

/// <summary>
/// Finds the <c>Redirect</c> patterns that match no member of another assembly referenced by any of
/// the assemblies woven with a configuration (the MemberRef table: what their code calls), most
/// likely a typo. Names are matched as <see cref="RedirectSet"/> matches call sites. Works on woven
/// and unwoven modules alike: a redirected call site's stub still references its member.
/// </summary>
public static class RedirectPatternCheck
{
    /// <summary>Build warning code for a Redirect pattern that matches nothing referenced.</summary>
    public const string Code = "TRAP014";

    const string Syntax = "Namespace.Type::Member, * as a wildcard, for example System.IO.File::ReadAllText; nested types with +, as Outer+Inner; generic types with or without arity, as System.Collections.Generic.List`1 or List";

    public static IReadOnlyList<UnmatchedPattern> Unmatched(WeaverConfig config, IReadOnlyList<ModuleDefinition> modules)
    {
        var result = new List<UnmatchedPattern>();
        var patterns = config.Redirect;
        if (patterns.Parts.Count == 0 || modules.Count == 0) return result;

        // Each member's names (with generic arity first, then without), as RedirectSet matches them.
        var referenced = modules.SelectMany(m => m.GetMemberReferences().OfType<MethodReference>().Where(r => CallSiteRedirector.IsExternal(r, m)))
            .Select(r => r.PatternNames())
            .GroupBy(names => names[0], StringComparer.Ordinal)
            .Select(g => g.First())
            .ToArray();
        var assemblies = string.Join(", ", modules.Select(m => m.Assembly.Name.Name));
        var (line, column) = config.RedirectLocation;

        for (var i = 0; i < patterns.Parts.Count; i++)
        {
            if (referenced.Any(names => names.Any(name => patterns.Matches(i, name)))) continue;
            var pattern = patterns.Parts[i];
            var message = $"Redirect pattern '{pattern}' matches no member of another assembly that {assemblies} {(modules.Count == 1 ? "calls" : "call")}, so it redirects nothing. " +
                          $"{Own(pattern, modules)}Fix the pattern ({Syntax}; {Hint(pattern, referenced)}) or remove it.";
            result.Add(new UnmatchedPattern("Redirect", pattern, line, column, message));
        }
        return result;
    }

    /// <summary>A pattern naming the woven assemblies' own methods: those are trapped directly, never redirected.</summary>
    static string Own(string pattern, IReadOnlyList<ModuleDefinition> modules)
    {
        var single = MemberPatterns.Parse(pattern);
        var owner = modules.FirstOrDefault(m => m.GetTypes().SelectMany(t => t.Methods).Any(d => single.Matches(d.PatternName())));
        return owner is null ? "" : $"It names methods of {owner.Assembly.Name.Name}, which is woven, so they are trapped directly; Redirect is for members of other assemblies. ";
    }

    /// <summary>What is called near the pattern: the members of the types it names, else the namespaces.</summary>
    static string Hint(string pattern, IReadOnlyList<string[]> referenced)
    {
        var separator = pattern.IndexOf("::", StringComparison.Ordinal);
        if (separator > 0)
        {
            var types = MemberPatterns.Parse(pattern.Substring(0, separator));
            var members = referenced.Where(names => names.Any(types.Matches)).Select(names => names[0]).ToArray();
            var byType = members.GroupBy(TypeOf, StringComparer.Ordinal).ToArray();
            if (byType.Length == 1)
                return $"members of {byType[0].Key} called there: {List(byType[0].Select(n => n.Substring(byType[0].Key.Length + 2)))}";
            if (byType.Length > 1)
                return $"members called there of the types it names: {List(members)}";
        }
        var namespaces = referenced.Select(names => TypeOf(names[0]).Split('+')[0])
            .Select(t => t.LastIndexOf('.') is var dot && dot > 0 ? t.Substring(0, dot) : "")
            .Where(n => n.Length > 0);
        var shown = List(namespaces);
        return shown.Length == 0 ? "nothing of another assembly is called there" : $"namespaces called there: {shown}";
    }

    static string TypeOf(string name) => name.Substring(0, name.IndexOf("::", StringComparison.Ordinal));

    static string List(IEnumerable<string> names)
    {
        var distinct = names.Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        return string.Join(", ", distinct.Take(10)) + (distinct.Length > 10 ? $" and {distinct.Length - 10} more" : "");
    }
}
