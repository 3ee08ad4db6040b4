using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Trapweave.Tracing;

/// <summary>How <see cref="ValueRenderer"/> renders values of one runtime type, worked out once per type.</summary>
internal sealed class TypeShape
{
    public enum Kinds
    {
        String, Char, Bool, Formattable, Enum, Pointer, IntPtr, Delegate, Task, ValueTask, TypeObject,
        Reflection, Exception, Tuple, Pair, Dictionary, Collection, Sequence, CancellationToken,
        Overridden, Members, Opaque,
    }

    public readonly Kinds Kind;
    public readonly string Name;
    /// <summary>Public instance fields and readable properties, for <see cref="Kinds.Members"/> and <see cref="Kinds.Exception"/>.</summary>
    public readonly Member[] Members;
    /// <summary>Generic collections without the non-generic <see cref="ICollection"/>: their Count.</summary>
    public readonly PropertyInfo? CountProperty;
    /// <summary><c>Task&lt;T&gt;.Result</c> (read only when the task completed successfully), or KeyValuePair's Key.</summary>
    public readonly PropertyInfo? First;
    /// <summary>KeyValuePair's Value.</summary>
    public readonly PropertyInfo? Second;
    /// <summary>Anonymous types render without their compiler-made name.</summary>
    public readonly bool Anonymous;

    static readonly ConcurrentDictionary<Type, TypeShape> Shapes = new();

    TypeShape(Kinds kind, string name, Member[]? members = null, PropertyInfo? count = null,
              PropertyInfo? first = null, PropertyInfo? second = null, bool anonymous = false)
    {
        Kind = kind;
        Name = name;
        Members = members ?? Array.Empty<Member>();
        CountProperty = count;
        First = first;
        Second = second;
        Anonymous = anonymous;
    }

    public static TypeShape Of(Type type) => Shapes.GetOrAdd(type, Build);

    public sealed class Member
    {
        public Member(string name, bool secret, FieldInfo? field, PropertyInfo? property, string? refStructType)
        {
            Name = name;
            Secret = secret;
            Field = field;
            Property = property;
            RefStructType = refStructType;
        }

        public readonly string Name;
        /// <summary>Marked <see cref="TraceSecretAttribute"/> (name patterns are the renderer's, checked per options).</summary>
        public readonly bool Secret;
        public readonly FieldInfo? Field;
        public readonly PropertyInfo? Property;
        /// <summary>Set for members of a ref-struct type (Span and the like): reflection cannot read them.</summary>
        public readonly string? RefStructType;

        public object? Read(object target) => Field is not null ? Field.GetValue(target) : Property!.GetValue(target);
    }

    static TypeShape Build(Type type)
    {
        var name = TypeNames.ShortName(type);
        if (type == typeof(string)) return new(Kinds.String, name);
        if (type == typeof(char)) return new(Kinds.Char, name);
        if (type == typeof(bool)) return new(Kinds.Bool, name);
        if (type.IsEnum) return new(Kinds.Enum, name);
        if (type == typeof(IntPtr) || type == typeof(UIntPtr)) return new(Kinds.IntPtr, name);
        if (type == typeof(Pointer)) return new(Kinds.Pointer, name);
        if (typeof(Delegate).IsAssignableFrom(type)) return new(Kinds.Delegate, name);
        if (typeof(Type).IsAssignableFrom(type)) return new(Kinds.TypeObject, "Type");
        if (typeof(MemberInfo).IsAssignableFrom(type) || typeof(Assembly).IsAssignableFrom(type) ||
            typeof(Module).IsAssignableFrom(type) || typeof(ParameterInfo).IsAssignableFrom(type))
            return new(Kinds.Reflection, name);
        if (type == typeof(CancellationToken)) return new(Kinds.CancellationToken, name);
        if (typeof(Task).IsAssignableFrom(type)) return TaskShape(type);
        if (type == typeof(ValueTask) || type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>))
            return new(Kinds.ValueTask, name);
        if (typeof(Exception).IsAssignableFrom(type)) return new(Kinds.Exception, name, ExceptionMembers(type));
        // Primitives, decimal, DateTime, Guid, TimeSpan, BigInteger, Version…: invariant text. Before the
        // collection checks: none of them enumerate, and their text is short and exact.
        if (type.IsPrimitive || typeof(IFormattable).IsAssignableFrom(type) && IsBclValue(type) || type == typeof(Version) || type == typeof(Uri))
            return new(Kinds.Formattable, name);
        if (typeof(ITuple).IsAssignableFrom(type) && IsSystemTuple(type)) return new(Kinds.Tuple, name);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(KeyValuePair<,>))
            return new(Kinds.Pair, name, first: type.GetProperty("Key"), second: type.GetProperty("Value"));
        if (type == typeof(DictionaryEntry)) return new(Kinds.Pair, name, first: type.GetProperty("Key"), second: type.GetProperty("Value"));
        if (typeof(IEnumerable).IsAssignableFrom(type))
        {
            bool dictionary = typeof(IDictionary).IsAssignableFrom(type) ||
                              GenericInterface(type, typeof(IReadOnlyDictionary<,>)) is not null ||
                              GenericInterface(type, typeof(IDictionary<,>)) is not null;
            if (type.IsArray || typeof(ICollection).IsAssignableFrom(type))
                return new(dictionary ? Kinds.Dictionary : Kinds.Collection, name);
            var counted = GenericInterface(type, typeof(IReadOnlyCollection<>)) ?? GenericInterface(type, typeof(ICollection<>));
            if (counted is not null)
                return new(dictionary ? Kinds.Dictionary : Kinds.Collection, name, count: counted.GetProperty("Count"));
            // A lazy sequence (LINQ, an iterator, a query): enumerating it could run code, consume it or never end.
            return new(Kinds.Sequence, name);
        }
        bool anonymous = IsAnonymous(type);
        // Records and anonymous types override ToString with an unbounded, cycle-blind walk: render their members instead.
        if (!anonymous && !IsRecord(type) && OverridesToString(type)) return new(Kinds.Overridden, name);
        var members = PublicMembers(type);
        return new(Kinds.Members, name, members, anonymous: anonymous);
    }

    static TypeShape TaskShape(Type type)
    {
        // The runtime type of an async method's task is an internal state-machine box: name the public Task<T> it is.
        var shown = type;
        while (shown != typeof(Task) && !(shown.IsGenericType && shown.GetGenericTypeDefinition() == typeof(Task<>)))
            shown = shown.BaseType!;
        PropertyInfo? result = null;
        string name = "Task";
        if (shown != typeof(Task))
        {
            var resultType = shown.GetGenericArguments()[0];
            // async Task methods run as Task<VoidTaskResult>: no result worth showing.
            if (resultType.FullName != "System.Threading.Tasks.VoidTaskResult")
            {
                result = shown.GetProperty("Result");
                name = TypeNames.ShortName(shown);
            }
        }
        return new(Kinds.Task, name, first: result);
    }

    static bool IsBclValue(Type type) =>
        type.IsValueType || type.Assembly == typeof(object).Assembly || type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true;

    static bool IsSystemTuple(Type type) =>
        type.Namespace == "System" && (type.Name.StartsWith("ValueTuple", StringComparison.Ordinal) || type.Name.StartsWith("Tuple", StringComparison.Ordinal));

    static bool IsAnonymous(Type type) =>
        type.Name.Contains("AnonymousType", StringComparison.Ordinal) && type.Name.StartsWith("<>", StringComparison.Ordinal) &&
        type.IsDefined(typeof(CompilerGeneratedAttribute), false);

    /// <summary>The C# compiler gives every record (class or struct) a PrintMembers(StringBuilder).</summary>
    static bool IsRecord(Type type) =>
        type.GetMethod("PrintMembers", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, null,
                       new[] { typeof(StringBuilder) }, null) is not null;

    static bool OverridesToString(Type type)
    {
        var toString = type.GetMethod("ToString", BindingFlags.Instance | BindingFlags.Public, null, Type.EmptyTypes, null);
        var declaring = toString?.DeclaringType;
        return declaring is not null && declaring != typeof(object) && declaring != typeof(ValueType);
    }

    public static Type? GenericInterface(Type type, Type definition)
    {
        if (type.IsInterface && type.IsGenericType && type.GetGenericTypeDefinition() == definition) return type;
        foreach (var candidate in type.GetInterfaces())
            if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() == definition) return candidate;
        return null;
    }

    static Member[] PublicMembers(Type type)
    {
        var members = new List<Member>();
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public))
            members.Add(new Member(field.Name, field.IsDefined(typeof(TraceSecretAttribute), true), field, null,
                                   field.FieldType.IsByRefLike ? TypeNames.ShortName(field.FieldType) : null));
        foreach (var property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0 || property.GetMethod?.IsPublic != true) continue;
            members.Add(new Member(property.Name, property.IsDefined(typeof(TraceSecretAttribute), true), null, property,
                                   property.PropertyType.IsByRefLike ? TypeNames.ShortName(property.PropertyType) : null));
        }
        return members.ToArray();
    }

    /// <summary>What a derived exception adds (ParamName, StatusCode…); Message is shown anyway, the base's rest is noise.</summary>
    static Member[] ExceptionMembers(Type type)
    {
        var members = new List<Member>();
        foreach (var member in PublicMembers(type))
            if (typeof(Exception).GetProperty(member.Name) is null) members.Add(member);
        return members.ToArray();
    }

    public static string Invariant(object value) =>
        value switch
        {
            DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
            DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
}
