using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Trapweave.Fody.Core;

/// <summary>An Include or Exclude pattern that matches no method of the assemblies woven with it: most likely a typo.</summary>
public sealed class UnmatchedPattern
{
    public UnmatchedPattern(string attribute, string pattern, int line, int column, string message)
    {
        Attribute = attribute;
        Pattern = pattern;
        Line = line;
        Column = column;
        Message = message;
    }

    /// <summary>Include or Exclude.</summary>
    public string Attribute { get; }
    public string Pattern { get; }
    /// <summary>Position of the attribute in FodyWeavers.xml.</summary>
    public int Line { get; }
    public int Column { get; }
    public string Message { get; }
}

/// <summary>
/// Finds the Include/Exclude patterns that match no method in any of the assemblies woven with a
/// configuration. All of them are checked together: with References and Self both on, a pattern
/// needs to match in only one of them.
/// </summary>
public static class PatternCheck
{
    /// <summary>Build warning code for an Include/Exclude pattern that matches nothing.</summary>
    public const string Code = "TRAP012";

    public static IReadOnlyList<UnmatchedPattern> Unmatched(WeaverConfig config, IReadOnlyList<ModuleDefinition> modules)
    {
        var result = new List<UnmatchedPattern>();
        if (!config.HasPatterns || modules.Count == 0) return result;

        var selector = new MethodSelector(config);
        var members = modules.SelectMany(m => m.GetTypes())
            .Where(selector.ShouldTrap)
            .SelectMany(t => t.Methods)
            .Where(m => !m.IsCompilerGeneratedMethod())
            .Select(m => m.PatternName())
            .ToArray();
        var assemblies = string.Join(", ", modules.Select(m => m.Assembly.Name.Name));

        void Check(string attribute, MemberPatterns patterns, (int Line, int Column) where, string consequence)
        {
            for (var i = 0; i < patterns.Parts.Count; i++)
            {
                if (members.Any(m => patterns.Matches(i, m))) continue;
                var pattern = patterns.Parts[i];
                var message = $"{attribute} pattern '{pattern}' matches no method in {assemblies}, so {consequence}. " +
                              $"Fix the pattern (Namespace.Type::Method, * as a wildcard; {Hint(modules)}) or remove it.";
                result.Add(new UnmatchedPattern(attribute, pattern, where.Line, where.Column, message));
            }
        }

        if (config.Include != MemberPatterns.All && config.Include.Parts.Count == 0)
        {
            result.Add(new UnmatchedPattern("Include", "", config.IncludeLocation.Line, config.IncludeLocation.Column,
                $"Include is empty, so nothing is trapped in {assemblies}. List patterns (Namespace.Type::Method, * as a wildcard), or remove Include to trap every method."));
        }
        else if (config.Include != MemberPatterns.All)
        {
            var includesAnything = members.Any(config.Include.Matches);
            Check("Include", config.Include, config.IncludeLocation, includesAnything ? "it adds nothing" : "nothing is trapped");
        }
        if (config.Exclude != MemberPatterns.None)
            Check("Exclude", config.Exclude, config.ExcludeLocation, "it leaves nothing out");
        return result;
    }

    /// <summary>The namespaces there are, to spot a misspelt one.</summary>
    static string Hint(IReadOnlyList<ModuleDefinition> modules)
    {
        var namespaces = modules.SelectMany(m => m.Types)
            .Where(t => t.IsPublic && t.Namespace.Length > 0)
            .Select(t => t.Namespace)
            .Distinct()
            .OrderBy(n => n, System.StringComparer.Ordinal)
            .ToArray();
        if (namespaces.Length == 0) return "the public types there have no namespace";
        var shown = string.Join(", ", namespaces.Take(10)) + (namespaces.Length > 10 ? $" and {namespaces.Length - 10} more" : "");
        return $"namespaces there: {shown}";
    }
}
