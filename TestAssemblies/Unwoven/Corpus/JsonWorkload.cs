using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace Trapweave.Corpus;

/// <summary>Newtonsoft.Json: a varied object graph serialized with several settings and read back, LINQ to JSON, errors.</summary>
static class JsonWorkload
{
    public static void Run(Results r)
    {
        var graph = Models.Catalog();
        var auto = new JsonSerializerSettings
        {
            Formatting = Formatting.Indented,
            TypeNameHandling = TypeNameHandling.Auto,
            DateTimeZoneHandling = DateTimeZoneHandling.Utc,
            FloatFormatHandling = FloatFormatHandling.Symbol,
            Converters = { new StringEnumConverter() },
        };
        var text = JsonConvert.SerializeObject(graph, auto);
        r.Add("auto", () => text);
        r.Add("round-trip", () => JsonConvert.SerializeObject(JsonConvert.DeserializeObject<Catalog>(text, auto), auto));
        r.Add("camel", () => JsonConvert.SerializeObject(graph, new JsonSerializerSettings
        {
            ContractResolver = new CamelCasePropertyNamesContractResolver(),
            NullValueHandling = NullValueHandling.Ignore,
            DefaultValueHandling = DefaultValueHandling.Ignore,
            StringEscapeHandling = StringEscapeHandling.EscapeNonAscii,
            DateFormatHandling = DateFormatHandling.MicrosoftDateFormat,
            PreserveReferencesHandling = PreserveReferencesHandling.Objects,
        }));
        r.Add("dictionary", () => JsonConvert.SerializeObject(JsonConvert.DeserializeObject<Dictionary<string, object>>(text), Formatting.None));
        r.Add("linq", () =>
        {
            var token = JObject.FromObject(graph);
            token["Added"] = new JArray(1, 2, 3);
            token.Remove("Owner");
            return token.SelectTokens("$..Sku").Count() + "|" + token.SelectToken("Products[1].Tags[0]") + "|" + token.ToString(Formatting.None);
        });
        r.Add("relaxed", () => JToken.Parse("// comment\n{ unquoted: 'single', n: 1.50, list: [1, 2, 3,], nested: { deep: [ { x: null }, true ] } }").ToString(Formatting.None));
        r.Add("xml", () => JsonConvert.DeserializeXNode("{ \"order\": { \"@id\": \"17\", \"line\": [ { \"sku\": \"a\" }, { \"sku\": \"b\" } ] } }").ToString());
        r.Add("error", () => JsonConvert.DeserializeObject<Catalog>("{ \"Name\": \"x\", \"Products\": [ { \"Price\": \"not a number\" } ] }"));
        r.Add("bulk", () => JsonConvert.SerializeObject(Enumerable.Range(0, 200).Select(i => new Product { Sku = "S" + i, Price = i * 0.25m }).ToList()).Length);
    }
}
