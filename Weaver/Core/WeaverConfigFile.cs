using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;

namespace Trapweave.Fody.Core;

/// <summary>Finds the &lt;Trapweave&gt; element in FodyWeavers.xml (or inline weaver XML), keeping line numbers.</summary>
public static class WeaverConfigFile
{
    /// <summary>
    /// The parsed configuration, or null when the XML has no &lt;Trapweave&gt; element (Trapweave is not
    /// enabled there). Throws <see cref="ConfigException"/> with <see cref="ConfigException.Malformed"/> for bad XML.
    /// </summary>
    public static WeaverConfig? Load(string? path, string? inlineXml = null)
    {
        XDocument document;
        try
        {
            if (!string.IsNullOrWhiteSpace(inlineXml)) document = XDocument.Parse(inlineXml, LoadOptions.SetLineInfo);
            else if (path is not null && File.Exists(path)) document = XDocument.Load(path, LoadOptions.SetLineInfo);
            else return null;
        }
        catch (XmlException e)
        {
            throw new ConfigException(ConfigException.Malformed, $"FodyWeavers.xml is not well-formed XML: {e.Message} Fix the XML (a <Weavers> root with a <Trapweave /> element).", null, e.LineNumber, e.LinePosition);
        }

        var element = document.Root?.Elements().FirstOrDefault(e => string.Equals(e.Name.LocalName, "Trapweave", System.StringComparison.OrdinalIgnoreCase));
        return element is null ? null : WeaverConfig.Parse(element);
    }
}
