using System;
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
    public static readonly MemberPatterns All = new(new[] { new Regex(".*") }, "*");
    public static readonly MemberPatterns None = new(Array.Empty<Regex>(), "");

    readonly Regex[] _patterns;

    MemberPatterns(Regex[] patterns, string text)
    {
        _patterns = patterns;
        Text = text;
    }

    public string Text { get; }

    public static MemberPatterns Parse(string text, XObject? node = null)
    {
        var parts = text.Split(';').Select(p => p.Trim()).Where(p => p.Length > 0).ToArray();
        var regexes = parts.Select(p => ToRegex(p, node)).ToArray();
        return new MemberPatterns(regexes, text);
    }

    static Regex ToRegex(string pattern, XObject? node)
    {
        if (pattern.Count(c => c == ':') is var colons && colons != 0 && (colons != 2 || !pattern.Contains("::")))
            throw new ConfigException(ConfigException.BadPattern, $"Bad pattern '{pattern}': write Namespace.Type::Method, with * as a wildcard (for example MyApp.Services.*::Get*).", node);
        if (pattern.IndexOfAny(new[] { '(', ')', '[', ']', '{', '}', '\\', '^', '$', '|', '?' }) >= 0)
            throw new ConfigException(ConfigException.BadPattern, $"Bad pattern '{pattern}': only letters, digits, '.', '_', '`', '<', '>', '+', '/', '::' and the wildcard '*' are allowed.", node);
        var normalized = pattern.Replace('/', '+');
        if (!normalized.Contains("::")) normalized += "::*";
        var body = string.Join(".*", normalized.Split('*').Select(Regex.Escape));
        return new Regex("^" + body + "$", RegexOptions.CultureInvariant);
    }

    public bool Matches(string member) => _patterns.Any(p => p.IsMatch(member));
}
