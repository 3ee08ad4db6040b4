using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using Trapweave.Fody.Core;

namespace Trapweave.Cli;

/// <summary>
/// <c>--include</c>, <c>--exclude</c>, <c>--redirect</c>, <c>--trace-from-environment</c> as the weaver's configuration: the same
/// patterns as the FodyWeavers.xml attributes of those names (README "Configuration"), each option
/// given any number of times and each value possibly <c>;</c>-separated.
/// </summary>
static class WeaveOptions
{
    public static WeaverConfig ToConfig(IReadOnlyList<string> include, IReadOnlyList<string> exclude, IReadOnlyList<string> redirect, bool traceFromEnvironment = false)
    {
        var element = new XElement("Trapweave");
        if (traceFromEnvironment) element.Add(new XAttribute("TraceFromEnvironment", "true"));
        Add(element, "Include", "--include", include);
        Add(element, "Exclude", "--exclude", exclude);
        Add(element, "Redirect", "--redirect", redirect);
        return WeaverConfig.Parse(element);
    }

    static void Add(XElement element, string attribute, string option, IReadOnlyList<string> values)
    {
        if (values.Count == 0) return;
        var text = string.Join(";", values);
        var node = new XAttribute(attribute, text);
        try
        {
            // Parsed here first so a bad pattern is reported with the option that gave it.
            MemberPatterns.Parse(text, node);
        }
        catch (ConfigException e)
        {
            throw new CliError($"{option}: {e.Message}");
        }
        if (MemberPatterns.Parse(text).Parts.Count == 0)
            throw new CliError($"{option} was given no pattern. Write Namespace.Type::Method, with * as a wildcard (for example MyApp.Services.*::Get*).");
        element.Add(node);
    }
}
