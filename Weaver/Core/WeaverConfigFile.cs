using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;

namespace Trapweave.Fody.Core;

/// <summary>Finds the &lt;Trapweave&gt; element in FodyWeavers.xml (or inline weaver XML), keeping line numbers.</summary>
public static class WeaverConfigFile
{
    /// <summary>The element name Fody derives from the add-in assembly Trapweave.Fody.dll.</summary>
    public const string ElementName = "Trapweave";

    /// <summary>
    /// The parsed configuration, or null when the XML has no &lt;Trapweave&gt; element (Trapweave is not
    /// enabled there). Throws <see cref="ConfigException"/> with <see cref="ConfigException.Malformed"/> for bad XML.
    /// </summary>
    public static WeaverConfig? Load(string? path, string? inlineXml = null)
    {
        var document = Read(path, inlineXml);
        if (document is null) return null;

        var elements = document.Root?.Elements().ToArray() ?? System.Array.Empty<XElement>();
        // Fody 6.9 finds a weaver only under its exact element name; another case would fail later with
        // "No weavers found ... add the desired weavers via their nuget package", which misleads.
        var misspelt = elements.FirstOrDefault(e => e.Name.LocalName != ElementName && string.Equals(e.Name.LocalName, ElementName, System.StringComparison.OrdinalIgnoreCase));
        if (misspelt is not null)
            throw new ConfigException(ConfigException.WrongCase, $"<{misspelt.Name.LocalName}> must be written <{ElementName}>: Fody matches weaver names case-sensitively and finds no weaver for <{misspelt.Name.LocalName}>. Rename the element to <{ElementName}>.", misspelt);
        var element = elements.FirstOrDefault(e => e.Name.LocalName == ElementName);
        return element is null ? null : WeaverConfig.Parse(element);
    }

    /// <summary>The weaver elements (Fody add-ins) the XML configures, or null when there is no such XML.</summary>
    public static string[]? WeaverNames(string? path, string? inlineXml = null) =>
        Read(path, inlineXml)?.Root?.Elements().Select(e => e.Name.LocalName).ToArray();

    /// <summary>The inline XML if given, else the file; null when neither exists.</summary>
    static XDocument? Read(string? path, string? inlineXml)
    {
        try
        {
            if (!string.IsNullOrWhiteSpace(inlineXml)) return XDocument.Parse(inlineXml, LoadOptions.SetLineInfo);
            if (path is not null && File.Exists(path)) return XDocument.Load(path, LoadOptions.SetLineInfo);
            return null;
        }
        catch (XmlException e)
        {
            throw new ConfigException(ConfigException.Malformed, $"FodyWeavers.xml is not well-formed XML: {e.Message} Fix the XML (a <Weavers> root with a <Trapweave /> element).", null, e.LineNumber, e.LinePosition);
        }
    }
}
