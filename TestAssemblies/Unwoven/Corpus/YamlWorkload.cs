using System.Collections.Generic;
using System.IO;
using System.Linq;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Trapweave.Corpus;

/// <summary>YamlDotNet: an object graph serialized with naming conventions and read back, a representation model walked, anchors and aliases, errors.</summary>
static class YamlWorkload
{
    const string Config = """
        # service configuration
        name: trapweave
        version: 1.2
        enabled: true
        ports: [80, 443]
        defaults: &defaults
          timeout: 30
          retries: 3
        services:
          web:
            <<: *defaults
            image: "nginx:latest"
            env:
              - KEY=value
              - OTHER="quoted"
          worker:
            <<: *defaults
            timeout: 60
        description: |
          A literal block
          over two lines.
        folded: >
          folded text
          joins lines
        empty: ~
        """;

    public static void Run(Results r)
    {
        var graph = Models.Catalog();
        var serializer = new SerializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        var yaml = serializer.Serialize(graph);
        r.Add("serialize", () => yaml);
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        r.Add("round-trip", () => serializer.Serialize(deserializer.Deserialize<Catalog>(yaml)));
        r.Add("underscored", () => new SerializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull).Build().Serialize(graph.Products[1]));
        r.Add("json-compatible", () => new SerializerBuilder().JsonCompatible().Build().Serialize(graph.Stock));
        r.Add("dynamic", () =>
        {
            var data = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize<Dictionary<string, object>>(Config);
            return Dump(data);
        });
        r.Add("model", () =>
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(Config));
            var root = (YamlMappingNode)stream.Documents[0].RootNode;
            return root.AllNodes.Select(n => n.NodeType + "@" + n.Start.Line + ":" + n.Start.Column + (n is YamlScalarNode s ? "=" + s.Value : "")).ToArray();
        });
        r.Add("model/emit", () =>
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(Config));
            var writer = new StringWriter();
            stream.Save(writer, assignAnchors: false);
            return writer.ToString();
        });
        r.Add("error", () => deserializer.Deserialize<Catalog>("name: [unclosed\nproducts: 3"));
        r.Add("wrong-type", () => deserializer.Deserialize<Catalog>("products: not a list"));
    }

    static string Dump(object value) => value switch
    {
        IDictionary<object, object> map => "{" + string.Join(", ", map.Select(p => Dump(p.Key) + ": " + Dump(p.Value))) + "}",
        IDictionary<string, object> map => "{" + string.Join(", ", map.Select(p => p.Key + ": " + Dump(p.Value))) + "}",
        IEnumerable<object> list => "[" + string.Join(", ", list.Select(Dump)) + "]",
        null => "null",
        _ => value.GetType().Name + ":" + value,
    };
}
