using System.Collections;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Trapweave.Tests.Weaving.Support;

/// <summary>
/// Drives one loaded copy of Newtonsoft.Json by reflection, so that a woven and an unwoven copy, each
/// in its own load context, run exactly the same calls.
/// </summary>
public sealed class NewtonsoftApi
{
    public NewtonsoftApi(Assembly assembly) => Assembly = assembly;

    public Assembly Assembly { get; }

    public Type Type(string fullName) => Assembly.GetType(fullName, throwOnError: true)!;

    public Type JsonConvert => Type("Newtonsoft.Json.JsonConvert");
    public Type Settings => Type("Newtonsoft.Json.JsonSerializerSettings");
    public Type Formatting => Type("Newtonsoft.Json.Formatting");
    public Type JToken => Type("Newtonsoft.Json.Linq.JToken");
    public Type JObject => Type("Newtonsoft.Json.Linq.JObject");
    public Type JsonConverterArray => Type("Newtonsoft.Json.JsonConverter").MakeArrayType();

    public object Enum(string typeName, string value) => System.Enum.Parse(Type(typeName), value);

    public object Indented => Enum("Newtonsoft.Json.Formatting", "Indented");
    public object NoFormatting => Enum("Newtonsoft.Json.Formatting", "None");

    public object New(string typeName, params object[] args) => Unwrap(() => Activator.CreateInstance(Type(typeName), args));

    /// <summary>Settings with properties set by name; enum values may be given by name, "Converters" as an array to add.</summary>
    public object NewSettings(params (string Name, object Value)[] values)
    {
        var settings = Activator.CreateInstance(Settings)!;
        foreach (var (name, value) in values)
        {
            var property = Settings.GetProperty(name) ?? throw new ArgumentException("no setting " + name);
            if (name == "Converters")
            {
                var list = (IList)property.GetValue(settings)!;
                foreach (var converter in (object[])value) list.Add(converter);
                continue;
            }
            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            property.SetValue(settings, value is string s && target.IsEnum ? System.Enum.Parse(target, s) : value);
        }
        return settings;
    }

    public object CallStatic(Type type, string name, Type[] signature, params object[] args)
    {
        var method = type.GetMethod(name, signature) ?? throw new MissingMethodException(type.FullName, name);
        return Unwrap(() => method.Invoke(null, args));
    }

    public object Call(object target, string name, Type[] signature, params object[] args)
    {
        var method = target.GetType().GetMethod(name, signature) ?? throw new MissingMethodException(target.GetType().FullName, name);
        return Unwrap(() => method.Invoke(target, args));
    }

    public object Get(object target, string property) => target.GetType().GetProperty(property)!.GetValue(target);

    public string Serialize(object value, Type type, object settings) =>
        (string)CallStatic(JsonConvert, "SerializeObject", new[] { typeof(object), typeof(Type), Settings }, value, type, settings);

    public string Serialize(object value, object formatting) =>
        (string)CallStatic(JsonConvert, "SerializeObject", new[] { typeof(object), Formatting }, value, formatting);

    public string Serialize(object value) =>
        (string)CallStatic(JsonConvert, "SerializeObject", new[] { typeof(object) }, value);

    public object Deserialize(string json, Type type, object settings) =>
        CallStatic(JsonConvert, "DeserializeObject", new[] { typeof(string), typeof(Type), Settings }, json, type, settings);

    public object Deserialize(string json, Type type) =>
        CallStatic(JsonConvert, "DeserializeObject", new[] { typeof(string), typeof(Type) }, json, type);

    /// <summary>JToken.ToString(Formatting, params JsonConverter[]).</summary>
    public string ToJson(object token, object formatting) =>
        (string)Call(token, "ToString", new[] { Formatting, JsonConverterArray }, formatting, Array.CreateInstance(JsonConverterArray.GetElementType()!, 0));

    static object Unwrap(Func<object> call)
    {
        try { return call(); }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
