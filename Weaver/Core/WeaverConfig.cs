using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace Trapweave.Fody.Core;

/// <summary>The &lt;Trapweave /&gt; element of FodyWeavers.xml, parsed strictly.</summary>
public sealed class WeaverConfig
{
    static readonly string[] Known = { "References", "Self", "Include", "Exclude", "Redirect", "DefaultRedirects", "TraceFromEnvironment" };

    public IReadOnlyList<string> References { get; private set; } = Array.Empty<string>();
    public bool Self { get; private set; } = true;
    public MemberPatterns Include { get; private set; } = MemberPatterns.All;
    public MemberPatterns Exclude { get; private set; } = MemberPatterns.None;
    /// <summary>External members whose call sites are routed through traps, on top of the default set.</summary>
    public MemberPatterns Redirect { get; private set; } = MemberPatterns.None;
    /// <summary>Whether the built-in default set (<see cref="Redirect.DefaultRedirects"/>) is redirected; <c>DefaultRedirects="false"</c> turns it off.</summary>
    public bool DefaultRedirects { get; private set; } = true;
    /// <summary>Whether a woven app honours TRAPWEAVE_TRACE (traces the whole process); <c>TraceFromEnvironment="true"</c> opts in. Test projects trace per test without it.</summary>
    public bool TraceFromEnvironment { get; private set; }

    /// <summary>Line and column of the References attribute (or the element), for build errors about it.</summary>
    public (int Line, int Column) ReferencesLocation { get; private set; }
    /// <summary>Line and column of the &lt;Trapweave&gt; element.</summary>
    public (int Line, int Column) ElementLocation { get; private set; }
    /// <summary>Line and column of the Include and Exclude attributes (0, 0 when absent).</summary>
    public (int Line, int Column) IncludeLocation { get; private set; }
    public (int Line, int Column) ExcludeLocation { get; private set; }
    /// <summary>Line and column of the Redirect attribute (0, 0 when absent).</summary>
    public (int Line, int Column) RedirectLocation { get; private set; }
    /// <summary>Whether Self was written (rather than left to its default).</summary>
    public bool SelfIsExplicit { get; private set; }
    /// <summary>Whether Include or Exclude was written.</summary>
    public bool HasPatterns => Include != MemberPatterns.All || Exclude != MemberPatterns.None;
    /// <summary>Whether Redirect names any pattern.</summary>
    public bool HasRedirectPatterns => Redirect.Parts.Count > 0;

    public static WeaverConfig Default => new();

    static (int, int) Location(XObject node) =>
        node is System.Xml.IXmlLineInfo info && info.HasLineInfo() ? (info.LineNumber, info.LinePosition) : (0, 0);

    /// <summary>Parses the element; throws <see cref="ConfigException"/> naming the attribute and the fix.</summary>
    public static WeaverConfig Parse(XElement? element)
    {
        var config = new WeaverConfig();
        if (element is null) return config;
        foreach (var attribute in element.Attributes())
        {
            if (attribute.IsNamespaceDeclaration || attribute.Name.NamespaceName.Length != 0) continue;
            if (!Known.Contains(attribute.Name.LocalName))
                throw new ConfigException(ConfigException.UnknownSetting, $"Unknown attribute '{attribute.Name.LocalName}' on <Trapweave>. Known attributes: {string.Join(", ", Known)}.", attribute);
        }
        foreach (var child in element.Elements())
            throw new ConfigException(ConfigException.UnknownSetting, $"Unexpected element <{child.Name.LocalName}> inside <Trapweave>. Configure Trapweave with attributes: {string.Join(", ", Known)}.", child);

        config.References = SplitList(element.Attribute("References")?.Value);
        config.ReferencesLocation = Location(element.Attribute("References") ?? (XObject)element);
        config.ElementLocation = Location(element);
        var self = element.Attribute("Self");
        if (self is not null)
        {
            if (!bool.TryParse(self.Value.Trim(), out var value))
                throw new ConfigException(ConfigException.BadValue, $"Could not parse Self from '{self.Value}'. Use Self=\"true\" or Self=\"false\".", self);
            config.Self = value;
            config.SelfIsExplicit = true;
        }
        if (element.Attribute("Include") is { } include)
        {
            config.Include = MemberPatterns.Parse(include.Value, include);
            config.IncludeLocation = Location(include);
        }
        if (element.Attribute("Exclude") is { } exclude)
        {
            config.Exclude = MemberPatterns.Parse(exclude.Value, exclude);
            config.ExcludeLocation = Location(exclude);
        }
        if (element.Attribute("Redirect") is { } redirect)
        {
            config.Redirect = MemberPatterns.Parse(redirect.Value, redirect);
            config.RedirectLocation = Location(redirect);
        }
        if (element.Attribute("DefaultRedirects") is { } defaults)
        {
            if (!bool.TryParse(defaults.Value.Trim(), out var value))
                throw new ConfigException(ConfigException.BadValue, $"Could not parse DefaultRedirects from '{defaults.Value}'. Use DefaultRedirects=\"false\" to turn the default redirect set off, or leave it out.", defaults);
            config.DefaultRedirects = value;
        }
        if (element.Attribute("TraceFromEnvironment") is { } trace)
        {
            if (!bool.TryParse(trace.Value.Trim(), out var value))
                throw new ConfigException(ConfigException.BadValue, $"Could not parse TraceFromEnvironment from '{trace.Value}'. Use TraceFromEnvironment=\"true\" to let this app be traced when TRAPWEAVE_TRACE is set (traces hold argument values), or leave it out.", trace);
            config.TraceFromEnvironment = value;
        }
        return config;
    }

    static IReadOnlyList<string> SplitList(string? value) =>
        value is null ? Array.Empty<string>() : value.Split(';').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();

    /// <summary>Whether a member, written <c>Namespace.Type::Method</c>, is selected for weaving.</summary>
    public bool Selects(string member) => Include.Matches(member) && !Exclude.Matches(member);
}

/// <summary>A bad FodyWeavers.xml value, with the XML node it came from (for file/line in build errors).</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Build error codes, stable for users and tests.</summary>
    public const string Malformed = "TRAP001", UnknownSetting = "TRAP002", BadValue = "TRAP003", BadPattern = "TRAP004";
    /// <summary>&lt;TrapWeave&gt; or another spelling that differs from &lt;Trapweave&gt; only in case (Fody 6.9 matches names case-sensitively).</summary>
    public const string WrongCase = "TRAP011";

    public ConfigException(string code, string message, XObject? node) : base(message)
    {
        Code = code;
        if (node is System.Xml.IXmlLineInfo info && info.HasLineInfo())
        {
            Line = info.LineNumber;
            Column = info.LinePosition;
        }
    }

    public ConfigException(string code, string message, XObject? node, int line, int column) : this(code, message, node)
    {
        Line = line;
        Column = column;
    }

    public string Code { get; }
    public int Line { get; }
    public int Column { get; }
}
