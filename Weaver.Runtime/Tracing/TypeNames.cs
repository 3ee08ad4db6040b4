using System;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text;

namespace Trapweave.Tracing;

/// <summary>
/// C#-like names of types and methods for traces: <c>List&lt;int&gt;</c>, <c>Outer.Inner</c>,
/// <c>Shop.Orders.Place(int, string)</c>. Cached: the recorder names every traced call.
/// </summary>
internal static class TypeNames
{
    static readonly ConcurrentDictionary<Type, string> Short = new();
    static readonly ConcurrentDictionary<Type, string> Full = new();
    static readonly ConcurrentDictionary<MethodBase, string> Signatures = new();

    /// <summary>Without namespaces: <c>Dictionary&lt;string, Order&gt;</c>.</summary>
    public static string ShortName(Type type) => Short.GetOrAdd(type, t => Build(t, withNamespace: false));

    /// <summary>With the type's own namespace (not its arguments'): <c>Shop.Box&lt;int&gt;</c>.</summary>
    public static string FullName(Type type) => Full.GetOrAdd(type, t => Build(t, withNamespace: true));

    /// <summary><c>Namespace.Type.Method&lt;T&gt;(int, ref string)</c>; constructors as <c>Type..ctor(…)</c>.</summary>
    public static string Signature(MethodBase method) => Signatures.GetOrAdd(method, BuildSignature);

    static string BuildSignature(MethodBase method)
    {
        var text = new StringBuilder();
        if (method.DeclaringType is { } declaring) text.Append(FullName(declaring)).Append('.');
        text.Append(method.Name);
        if (method is MethodInfo { IsGenericMethod: true } generic)
        {
            text.Append('<');
            var arguments = generic.GetGenericArguments();
            for (int i = 0; i < arguments.Length; i++)
            {
                if (i > 0) text.Append(", ");
                text.Append(ShortName(arguments[i]));
            }
            text.Append('>');
        }
        text.Append('(');
        var parameters = method.GetParameters();
        for (int i = 0; i < parameters.Length; i++)
        {
            if (i > 0) text.Append(", ");
            var type = parameters[i].ParameterType;
            if (type.IsByRef)
            {
                text.Append(parameters[i].IsOut ? "out " : parameters[i].IsIn ? "in " : "ref ");
                type = type.GetElementType()!;
            }
            text.Append(ShortName(type));
        }
        return text.Append(')').ToString();
    }

    static string Build(Type type, bool withNamespace)
    {
        var text = new StringBuilder();
        Append(text, type, withNamespace);
        return text.ToString();
    }

    static void Append(StringBuilder text, Type type, bool withNamespace)
    {
        if (type.IsByRef) { Append(text, type.GetElementType()!, withNamespace); text.Append('&'); return; }
        if (type.IsPointer) { Append(text, type.GetElementType()!, withNamespace); text.Append('*'); return; }
        if (type.IsArray)
        {
            Append(text, type.GetElementType()!, withNamespace);
            text.Append('[').Append(',', type.GetArrayRank() - 1).Append(']');
            return;
        }
        if (Keyword(type) is { } keyword) { text.Append(keyword); return; }
        if (type.IsGenericParameter) { text.Append(type.Name); return; }
        if (Nullable.GetUnderlyingType(type) is { } underlying) { Append(text, underlying, false); text.Append('?'); return; }

        // Generic arguments of a nested type belong to its outer types too: hand each level its share.
        var arguments = type.IsGenericType ? type.GetGenericArguments() : Type.EmptyTypes;
        int used = 0;
        AppendLevel(text, type, arguments, ref used, withNamespace);
    }

    static void AppendLevel(StringBuilder text, Type type, Type[] arguments, ref int used, bool withNamespace)
    {
        if (type.IsNested && type.DeclaringType is { } outer)
        {
            AppendLevel(text, outer, arguments, ref used, withNamespace);
            text.Append('.');
        }
        else if (withNamespace && !string.IsNullOrEmpty(type.Namespace))
            text.Append(type.Namespace).Append('.');

        var name = type.Name;
        int tick = name.IndexOf('`');
        if (tick < 0) { text.Append(name); return; }
        text.Append(name, 0, tick);
        int count = int.Parse(name.AsSpan(tick + 1));
        text.Append('<');
        for (int i = 0; i < count; i++)
        {
            if (i > 0) text.Append(", ");
            if (used < arguments.Length) Append(text, arguments[used++], false);
        }
        text.Append('>');
    }

    static string? Keyword(Type type)
    {
        if (type == typeof(int)) return "int";
        if (type == typeof(string)) return "string";
        if (type == typeof(bool)) return "bool";
        if (type == typeof(long)) return "long";
        if (type == typeof(object)) return "object";
        if (type == typeof(void)) return "void";
        if (type == typeof(double)) return "double";
        if (type == typeof(decimal)) return "decimal";
        if (type == typeof(float)) return "float";
        if (type == typeof(byte)) return "byte";
        if (type == typeof(char)) return "char";
        if (type == typeof(short)) return "short";
        if (type == typeof(uint)) return "uint";
        if (type == typeof(ulong)) return "ulong";
        if (type == typeof(ushort)) return "ushort";
        if (type == typeof(sbyte)) return "sbyte";
        if (type == typeof(IntPtr)) return "nint";
        if (type == typeof(UIntPtr)) return "nuint";
        return null;
    }
}
