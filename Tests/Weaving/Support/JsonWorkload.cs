using System.IO;
using System.Reflection;
using System.Xml;
using Trapweave.Tests.Weaving.Support.Json;

namespace Trapweave.Tests.Weaving.Support;

/// <summary>
/// A serialization workload over one copy of Newtonsoft.Json: serializer settings of many kinds,
/// round trips, polymorphism, LINQ to JSON, XML conversion, raw reader and writer, error messages.
/// Returns every output by name, for comparing a woven copy with an unwoven one.
/// </summary>
public static class JsonWorkload
{
    public static SortedDictionary<string, string> Run(NewtonsoftApi json)
    {
        var outputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var graph = Graphs.Sample();

        var auto = json.NewSettings(
            ("Formatting", "Indented"),
            ("TypeNameHandling", "Auto"),
            ("DateTimeZoneHandling", "Utc"),
            ("FloatFormatHandling", "Symbol"),
            ("Converters", new[] { json.New("Newtonsoft.Json.Converters.StringEnumConverter") }));
        var first = json.Serialize(graph, typeof(Root), auto);
        outputs["graph/auto-indented"] = first;
        var back = json.Deserialize(first, typeof(Root), auto);
        outputs["graph/round-trip"] = json.Serialize(back, typeof(Root), auto);
        outputs["graph/round-trip-types"] = string.Join(",", ((Root)back).Zoo.Select(a => a.GetType().Name)) + ";" + ((Root)back).Pet?.GetType().Name;

        var camel = json.NewSettings(
            ("ContractResolver", json.New("Newtonsoft.Json.Serialization.CamelCasePropertyNamesContractResolver")),
            ("NullValueHandling", "Ignore"),
            ("DefaultValueHandling", "Ignore"),
            ("FloatFormatHandling", "String"),
            ("DateFormatString", "yyyy'-'MM'-'dd HH':'mm':'ss.fffK"),
            ("StringEscapeHandling", "EscapeNonAscii"),
            ("Converters", new[]
            {
                json.New("Newtonsoft.Json.Converters.StringEnumConverter", json.New("Newtonsoft.Json.Serialization.CamelCaseNamingStrategy"), false),
                json.New("Newtonsoft.Json.Converters.VersionConverter"),
            }));
        outputs["graph/camel-compact"] = json.Serialize(graph, typeof(Root), camel);

        var microsoftDates = json.NewSettings(
            ("DateFormatHandling", "MicrosoftDateFormat"),
            ("DateTimeZoneHandling", "RoundtripKind"),
            ("FloatFormatHandling", "DefaultValue"),
            ("StringEscapeHandling", "EscapeHtml"),
            ("ReferenceLoopHandling", "Ignore"),
            ("PreserveReferencesHandling", "Objects"));
        outputs["graph/dates-references"] = json.Serialize(graph, typeof(Root), microsoftDates);

        var objects = json.NewSettings(("TypeNameHandling", "Objects"), ("Formatting", "Indented"));
        var zooJson = json.Serialize(graph.Zoo, typeof(List<Animal>), objects);
        outputs["polymorphic/serialize"] = zooJson;
        var zoo = (List<Animal>)json.Deserialize(zooJson, typeof(List<Animal>), objects);
        outputs["polymorphic/types"] = string.Join(",", zoo.Select(a => a.GetType().FullName + ":" + a.Name));
        outputs["polymorphic/again"] = json.Serialize(zoo, typeof(List<Animal>), objects);

        outputs["default/items"] = json.Serialize(graph.Items);
        outputs["default/strings"] = json.Serialize(new[] { "a", "b\"c", "" }, json.NoFormatting);
        outputs["default/contract"] = json.Serialize(graph.Contract, json.Indented);
        outputs["default/bulk"] = json.Serialize(Graphs.Bulk(300), json.NoFormatting);

        var asDictionary = json.Deserialize(first, typeof(Dictionary<string, object>));
        outputs["dictionary/reserialized"] = json.Serialize(asDictionary, json.Indented);

        Linq(json, graph, outputs);
        Xml(json, outputs);
        ReaderAndWriter(json, first, outputs);
        Errors(json, outputs);
        return outputs;
    }

    static void Linq(NewtonsoftApi json, Root graph, IDictionary<string, string> outputs)
    {
        var jobject = json.CallStatic(json.JObject, "FromObject", new[] { typeof(object) }, graph);
        var item = json.Call(jobject, "SelectToken", new[] { typeof(string) }, "Items[3].Tags[1]");
        var added = json.CallStatic(json.JToken, "FromObject", new[] { typeof(object) }, new[] { 1, 2, 3 });
        json.JObject.GetProperty("Item", new[] { typeof(string) })!.SetValue(jobject, added, new object[] { "Added" });
        json.Call(jobject, "Remove", new[] { typeof(string) }, "Blob");
        var count = json.Call(jobject, "SelectTokens", new[] { typeof(string) }, "$..Id");
        outputs["linq/edited"] = json.ToJson(jobject, json.Indented) + "|" + item + "|" + ((System.Collections.IEnumerable)count).Cast<object>().Count();

        const string relaxed = "// comment\n{ unquoted: 'single quoted', n: 1.50, e: 1e3, list: [1, 2, 3,], nested: { deep: [ { x: null }, true, false ] }, date: '2020-01-02T03:04:05Z' }";
        var parsed = json.CallStatic(json.JToken, "Parse", new[] { typeof(string) }, relaxed);
        outputs["linq/relaxed"] = json.ToJson(parsed, json.NoFormatting);
        var reparsed = json.CallStatic(json.JToken, "Parse", new[] { typeof(string) }, json.ToJson(parsed, json.Indented));
        outputs["linq/deep-equals"] = json.CallStatic(json.JToken, "DeepEquals", new[] { json.JToken, json.JToken }, parsed, reparsed).ToString();

        var array = json.CallStatic(json.Type("Newtonsoft.Json.Linq.JArray"), "Parse", new[] { typeof(string) }, "[1, 2, 3, 40, 500]");
        var values = json.Type("Newtonsoft.Json.Linq.Extensions").GetMethods()
            .Single(m => m.Name == "Values" && m.GetParameters().Length == 1 && m.IsGenericMethodDefinition && m.GetGenericArguments().Length == 1)
            .MakeGenericMethod(typeof(int));
        outputs["linq/values-sum"] = ((IEnumerable<int>)values.Invoke(null, new[] { array })!).Sum().ToString();
    }

    static void Xml(NewtonsoftApi json, IDictionary<string, string> outputs)
    {
        const string source = "{ \"order\": { \"@id\": \"17\", \"line\": [ { \"sku\": \"a\", \"qty\": 2 }, { \"sku\": \"b\", \"qty\": 1 } ], \"note\": null } }";
        var document = (XmlDocument)json.CallStatic(json.JsonConvert, "DeserializeXmlNode", new[] { typeof(string), typeof(string) }, source, "root");
        outputs["xml/document"] = document.OuterXml;
        outputs["xml/back"] = (string)json.CallStatic(json.JsonConvert, "SerializeXmlNode", new[] { typeof(XmlNode) }, document);
    }

    static void ReaderAndWriter(NewtonsoftApi json, string text, IDictionary<string, string> outputs)
    {
        var reader = json.New("Newtonsoft.Json.JsonTextReader", new StringReader(text));
        var tokens = new List<string>();
        while ((bool)json.Call(reader, "Read", Type.EmptyTypes))
            tokens.Add(json.Get(reader, "TokenType") + "=" + Describe(json.Get(reader, "Value")) + "@" + json.Get(reader, "Path"));
        outputs["reader/tokens"] = string.Join("\n", tokens);

        var buffer = new StringWriter();
        var writer = json.New("Newtonsoft.Json.JsonTextWriter", buffer);
        writer.GetType().GetProperty("Formatting")!.SetValue(writer, json.Indented);
        json.Call(writer, "WriteStartObject", Type.EmptyTypes);
        json.Call(writer, "WritePropertyName", new[] { typeof(string) }, "text");
        json.Call(writer, "WriteValue", new[] { typeof(string) }, "hello \"world\"");
        json.Call(writer, "WritePropertyName", new[] { typeof(string) }, "money");
        json.Call(writer, "WriteValue", new[] { typeof(decimal) }, 10.50m);
        json.Call(writer, "WriteComment", new[] { typeof(string) }, "a comment");
        json.Call(writer, "WritePropertyName", new[] { typeof(string) }, "when");
        json.Call(writer, "WriteValue", new[] { typeof(DateTimeOffset) }, new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.FromHours(2)));
        json.Call(writer, "WritePropertyName", new[] { typeof(string) }, "raw");
        json.Call(writer, "WriteRawValue", new[] { typeof(string) }, "[1,2]");
        json.Call(writer, "WriteEndObject", Type.EmptyTypes);
        json.Call(writer, "Flush", Type.EmptyTypes);
        outputs["writer/manual"] = buffer.ToString();
    }

    static void Errors(NewtonsoftApi json, IDictionary<string, string> outputs)
    {
        outputs["errors/syntax"] = Failure(() => json.Deserialize("{\"a\": [1, 2,, }", typeof(object)));
        outputs["errors/conversion"] = Failure(() => json.Deserialize("{\"Count\": \"not a number\"}", typeof(Root)));
        outputs["errors/missing-type"] = Failure(() => json.Deserialize("{\"$type\": \"No.Such.Type, NoSuchAssembly\"}", typeof(Animal),
            json.NewSettings(("TypeNameHandling", "Auto"))));
    }

    static string Failure(Action action)
    {
        try
        {
            action();
            return "no exception";
        }
        catch (Exception e)
        {
            return e.GetType().FullName + ": " + e.Message;
        }
    }

    static string Describe(object value) => value switch
    {
        null => "null",
        DateTime d => d.ToString("O") + "/" + d.Kind,
        IFormattable f => f.GetType().Name + ":" + f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.GetType().Name + ":" + value,
    };
}
