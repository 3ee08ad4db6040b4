using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Trapweave.Fody.Core;

/// <summary>
/// <c>;</c>-separated patterns over <c>Namespace.Type::Method</c> with <c>*</c> as wildcard.
/// A pattern without <c>::</c> selects every method of the matching types. Nested types may be
/// written with <c>+</c> or <c>/</c>.
/// </summary>
public sealed class MemberPatterns
{
    public static readonly MemberPatterns All = new(new[] { new Regex(".*") }, new[] { "*" }, "*");
    public static readonly MemberPatterns None = new(Array.Empty<Regex>(), Array.Empty<string>(), "");

    readonly Regex[] _patterns;

    MemberPatterns(Regex[] patterns, string[] parts, string text)
    {
        _patterns = patterns;
        Parts = parts;
        Text = text;
    }

    public string Text { get; }

    /// <summary>The single patterns, as written (trimmed), in the order of <see cref="Matches(int, string)"/>.</summary>
    public IReadOnlyList<string> Parts { get; }

    public static MemberPatterns Parse(string text, XObject? node = null)
    {
        var parts = text.Split(';').Select(p => p.Trim()).Where(p => p.Length > 0).ToArray();
        var regexes = parts.Select(p => ToRegex(p, node)).ToArray();
        return new MemberPatterns(regexes, parts, text);
    }

    static Regex ToRegex(string pattern, XObject? node)
    {
        if (pattern.Count(c => c == ':') is var colons && colons != 0 && (colons != 2 || !pattern.Contains("::")))
            throw new ConfigException(ConfigException.BadPattern, $"Bad pattern '{pattern}': write Namespace.Type::Method, with * as a wildcard (for example {Example(node)}).", node);
        if (pattern.IndexOfAny(new[] { '(', ')' }) >= 0)
            throw new ConfigException(ConfigException.BadPattern, $"Bad pattern '{pattern}': patterns name members without their parameters, and every overload matches (for example {Example(node)}).", node);
        if (pattern.IndexOfAny(new[] { '(', ')', '[', ']', '{', '}', '\\', '^', '$', '|', '?' }) >= 0)
            throw new ConfigException(ConfigException.BadPattern, $"Bad pattern '{pattern}': only letters, digits, '.', '_', '`', '<', '>', '+', '/', '::' and the wildcard '*' are allowed.", node);
        var normalized = pattern.Replace('/', '+');
        if (!normalized.Contains("::")) normalized += "::*";
        var body = string.Join(".*", normalized.Split('*').Select(Regex.Escape));
        return new Regex("^" + body + "$", RegexOptions.CultureInvariant);
    }

    /// <summary>Redirect names members of other assemblies; Include/Exclude the woven assembly's own.</summary>
    static string Example(XObject? node) =>
        node is XAttribute { Name.LocalName: "Redirect" } ? "System.IO.File::ReadAllText or System.IO.File::*" : "MyApp.Services.*::Get*";

    public bool Matches(string member) => _patterns.Any(p => p.IsMatch(member));

    /// <summary>Whether the pattern <c>Parts[index]</c> alone matches <paramref name="member"/>.</summary>
    public bool Matches(int index, string member) => _patterns[index].IsMatch(member);
}
