using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Trapweave.Tracing;

/// <summary>
/// Renders traced values to bounded text at the moment of the call, so a trace shows what the call
/// saw even if the objects change later. Never throws: a failing getter, <c>ToString</c> or
/// enumeration becomes a <c>&lt;threw …&gt;</c> marker in place. Bounded by <see cref="TraceRenderOptions"/>
/// (depth, string length, items, members, total length, values visited). Cycles are cut with
/// <c>&lt;cycle Type&gt;</c>; secrets are <c>***</c>. The text format is described in docs/trace-format.md.
/// </summary>
public sealed class ValueRenderer
{
    public const string SecretMask = "***";

    readonly TraceRenderOptions _options;
    readonly SecretNames _secretNames;

    /// <summary>Set while this thread renders: getters and ToString it runs may be woven, and must not be traced.</summary>
    [ThreadStatic] static int t_rendering;

    public ValueRenderer(TraceRenderOptions? options = null)
    {
        _options = options ?? TraceRenderOptions.Default;
        _options.Validate();
        _secretNames = new SecretNames(_options.SecretNamePatterns);
    }

    public TraceRenderOptions Options => _options;

    /// <summary>True while a renderer runs user code (getters, ToString) on this thread: calls it makes are not the traced code's.</summary>
    public static bool IsRenderingOnThisThread => t_rendering > 0;

    /// <summary>Whether a member or parameter of this name is masked by the configured patterns.</summary>
    public bool IsSecretName(string? name) => _secretNames.Matches(name);

    public string Render(object? value) => RenderTop(value, declaredType: null);

    /// <summary>An argument: masked if the parameter is <see cref="TraceSecretAttribute"/> or its name matches a pattern; pointers named by the parameter's type.</summary>
    public string RenderArgument(ParameterInfo parameter, object? value)
    {
        if (IsSecretParameter(parameter)) return SecretMask;
        var type = parameter.ParameterType;
        if (type.IsByRef) type = type.GetElementType()!;
        return RenderTop(value, type);
    }

    /// <summary>A method's result: masked if its return value is marked <see cref="TraceSecretAttribute"/>.</summary>
    public string RenderResult(MethodInfo method, object? value)
    {
        try
        {
            if (method.ReturnParameter?.IsDefined(typeof(TraceSecretAttribute), true) == true) return SecretMask;
        }
        catch (Exception) { }
        return RenderTop(value, method.ReturnType);
    }

    internal bool IsSecretParameter(ParameterInfo parameter)
    {
        try
        {
            return parameter.IsDefined(typeof(TraceSecretAttribute), true) || IsSecretName(parameter.Name) && !IsCancellationToken(parameter.ParameterType);
        }
        catch (Exception)
        {
            // A broken custom attribute: render the value as usual.
            return false;
        }
    }

    /// <summary>A value whose secrecy was decided already (<see cref="MethodPlan"/>); <paramref name="declaredType"/> only for pointers.</summary>
    internal string RenderValue(object? value, Type? declaredType) => RenderTop(value, declaredType);

    static bool IsCancellationToken(Type type) => type == typeof(CancellationToken) || type.IsByRef && type.GetElementType() == typeof(CancellationToken);

    string RenderTop(object? value, Type? declaredType)
    {
        // The common small values, without a buffer or user code.
        switch (value)
        {
            case null: return "null";
            case int i: return i.ToString(CultureInfo.InvariantCulture);
            case long l: return l.ToString(CultureInfo.InvariantCulture);
            case bool b: return b ? "true" : "false";
        }
        if (value is string short_ && short_.Length <= _options.MaxStringLength)
        {
            var escaped = Escape(short_, '"');
            if (escaped.Length + 2 <= _options.MaxRenderedLength - RenderBuffer.TruncatedMarker.Length) return "\"" + escaped + "\"";
        }
        var buffer = new RenderBuffer(_options.MaxRenderedLength, _options.MaxValuesVisited);
        t_rendering++;
        try
        {
            if (declaredType is not null && value is IntPtr address && (declaredType.IsPointer || declaredType.IsFunctionPointer))
                buffer.Append(declaredType.IsFunctionPointer ? "<function pointer 0x" : $"<pointer {TypeNames.ShortName(declaredType)} 0x")
                      .Append(address.ToString("x", CultureInfo.InvariantCulture)).Append('>');
            else
                Write(buffer, value, 0, new List<object>());
            return buffer.ToString();
        }
        catch (Exception e)
        {
            // The renderer's own failure (or an exception type whose Message throws): never the caller's problem.
            return buffer + Failed("render failed", e);
        }
        finally
        {
            t_rendering--;
        }
    }

    void Write(RenderBuffer buffer, object? value, int depth, List<object> path)
    {
        if (!buffer.Visit()) return;
        if (value is null) { buffer.Append("null"); return; }
        if (ReferenceEquals(value, Invocation.Unavailable)) { buffer.Append("<ref struct: not captured>"); return; }

        var shape = TypeShape.Of(value.GetType());
        switch (shape.Kind)
        {
            case TypeShape.Kinds.String: WriteString(buffer, (string)value); return;
            case TypeShape.Kinds.Char: buffer.Append('\'').Append(Escape(((char)value).ToString(), '\'')).Append('\''); return;
            case TypeShape.Kinds.Bool: buffer.Append((bool)value ? "true" : "false"); return;
            case TypeShape.Kinds.Formattable: buffer.Append(TypeShape.Invariant(value)); return;
            case TypeShape.Kinds.Enum: buffer.Append(shape.Name).Append('.').Append(value.ToString()!.Replace(", ", " | " + shape.Name + ".")); return;
            case TypeShape.Kinds.IntPtr: buffer.Append(shape.Name).Append("(0x").Append(value is IntPtr p ? p.ToString("x") : ((UIntPtr)value).ToString("x")).Append(')'); return;
            case TypeShape.Kinds.Pointer: buffer.Append("<pointer>"); return;
            case TypeShape.Kinds.Delegate: WriteDelegate(buffer, (Delegate)value, shape); return;
            case TypeShape.Kinds.TypeObject: buffer.Append("<type ").Append(TypeNames.FullName((Type)value)).Append('>'); return;
            case TypeShape.Kinds.Reflection: buffer.Append('<').Append(shape.Name).Append(' ').Append(Safe(value)).Append('>'); return;
            case TypeShape.Kinds.CancellationToken:
                buffer.Append("CancellationToken { IsCancellationRequested = ").Append(((CancellationToken)value).IsCancellationRequested ? "true" : "false").Append(" }");
                return;
            case TypeShape.Kinds.Task: WriteTask(buffer, (Task)value, shape, depth, path); return;
            case TypeShape.Kinds.ValueTask: WriteValueTask(buffer, value, shape); return;
            case TypeShape.Kinds.Sequence: buffer.Append('<').Append(shape.Name).Append(": sequence, not enumerated>"); return;
            case TypeShape.Kinds.Overridden: WriteOverridden(buffer, value); return;
        }

        // Composite values from here on: cut cycles (reference types only: a boxed struct is a copy) and bound the depth.
        bool tracked = !value.GetType().IsValueType;
        if (tracked)
        {
            foreach (var ancestor in path)
                if (ReferenceEquals(ancestor, value)) { buffer.Append("<cycle ").Append(shape.Name).Append('>'); return; }
        }
        if (depth >= _options.MaxDepth && shape.Kind != TypeShape.Kinds.Exception)
        {
            buffer.Append(shape.Anonymous ? "{ … }" : shape.Name + (shape.Kind == TypeShape.Kinds.Tuple ? "(…)" : " { … }"));
            return;
        }
        if (tracked) path.Add(value);
        try
        {
            switch (shape.Kind)
            {
                case TypeShape.Kinds.Exception: WriteException(buffer, (Exception)value, shape, depth, path); break;
                case TypeShape.Kinds.Tuple: WriteTuple(buffer, (ITuple)value, depth, path); break;
                case TypeShape.Kinds.Pair: WritePair(buffer, value, shape, depth, path); break;
                case TypeShape.Kinds.Dictionary:
                case TypeShape.Kinds.Collection: WriteCollection(buffer, value, shape, depth, path); break;
                default: WriteMembers(buffer, value, shape, depth, path); break;
            }
        }
        finally
        {
            if (tracked) path.RemoveAt(path.Count - 1);
        }
    }

    void WriteString(RenderBuffer buffer, string text)
    {
        int max = _options.MaxStringLength;
        if (text.Length <= max) { buffer.Append('"').Append(Escape(text, '"')).Append('"'); return; }
        int keep = max > 0 && char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        buffer.Append('"').Append(Escape(text.Substring(0, keep), '"')).Append("…\" (")
              .Append(text.Length.ToString(CultureInfo.InvariantCulture)).Append(" chars)");
    }

    void WriteOverridden(RenderBuffer buffer, object value)
    {
        string? text;
        try { text = value.ToString(); }
        catch (Exception e) { buffer.Append(Failed("ToString threw", e)); return; }
        if (text is null) { buffer.Append("null"); return; }
        int max = _options.MaxStringLength;
        if (text.Length <= max) { buffer.Append(text); return; }
        int keep = max > 0 && char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        buffer.Append(text.Substring(0, keep)).Append("… (").Append(text.Length.ToString(CultureInfo.InvariantCulture)).Append(" chars)");
    }

    static void WriteDelegate(RenderBuffer buffer, Delegate value, TypeShape shape)
    {
        buffer.Append("<delegate ").Append(shape.Name);
        MethodInfo? method = null;
        try { method = value.Method; } catch (Exception) { }
        if (method is not null)
        {
            buffer.Append(": ");
            if (method.DeclaringType is { } declaring) buffer.Append(TypeNames.ShortName(declaring)).Append('.');
            buffer.Append(method.Name);
        }
        Delegate[]? list = null;
        try { list = value.GetInvocationList(); } catch (Exception) { }
        if (list is { Length: > 1 }) buffer.Append(" (+").Append((list.Length - 1).ToString(CultureInfo.InvariantCulture)).Append(" more)");
        buffer.Append('>');
    }

    void WriteTask(RenderBuffer buffer, Task task, TypeShape shape, int depth, List<object> path)
    {
        // Never wait: only a finished task's outcome is read.
        var status = task.Status;
        buffer.Append(shape.Name).Append(" { Status = ").Append(status.ToString());
        if (status == TaskStatus.RanToCompletion && shape.First is not null)
        {
            buffer.Append(", Result = ");
            WriteRead(buffer, () => shape.First.GetValue(task), depth + 1, path);
        }
        else if (status == TaskStatus.Faulted && task.Exception is { } aggregate)
        {
            var inner = aggregate.InnerExceptions.Count == 1 ? aggregate.InnerExceptions[0] : aggregate;
            buffer.Append(", Exception = ").Append(ExceptionHeadline(inner));
        }
        buffer.Append(" }");
    }

    static void WriteValueTask(RenderBuffer buffer, object value, TypeShape shape)
    {
        // A ValueTask over an IValueTaskSource may be read once only: its Result belongs to whoever awaits it.
        bool completed = value switch
        {
            ValueTask plain => plain.IsCompleted,
            _ => (bool)value.GetType().GetProperty("IsCompleted")!.GetValue(value)!,
        };
        buffer.Append(shape.Name).Append(" { IsCompleted = ").Append(completed ? "true" : "false").Append(" }");
    }

    void WriteException(RenderBuffer buffer, Exception exception, TypeShape shape, int depth, List<object> path)
    {
        buffer.Append(ExceptionHeadline(exception));
        if (depth >= _options.MaxDepth) return;
        bool any = false;
        int shown = 0;
        foreach (var member in shape.Members)
        {
            if (buffer.Exhausted) return;
            if (shown == _options.MaxMembers) break;
            buffer.Append(any ? ", " : " { ");
            any = true;
            shown++;
            WriteMember(buffer, exception, member, depth, path);
        }
        if (exception.InnerException is { } inner)
        {
            buffer.Append(any ? ", " : " { ").Append("InnerException = ").Append(ExceptionHeadline(inner));
            any = true;
        }
        if (any) buffer.Append(" }");
    }

    internal static string ExceptionHeadline(Exception exception)
    {
        string message;
        try { message = exception.Message; }
        catch (Exception) { message = "<Message threw>"; }
        return TypeNames.ShortName(exception.GetType()) + ": " + message;
    }

    void WriteTuple(RenderBuffer buffer, ITuple tuple, int depth, List<object> path)
    {
        buffer.Append('(');
        int length = tuple.Length;
        for (int i = 0; i < length && !buffer.Exhausted; i++)
        {
            if (i > 0) buffer.Append(", ");
            if (i == _options.MaxMembers) { buffer.Append("… (+").Append((length - i).ToString(CultureInfo.InvariantCulture)).Append(" more)"); break; }
            int index = i;
            WriteRead(buffer, () => tuple[index], depth + 1, path);
        }
        buffer.Append(')');
    }

    void WritePair(RenderBuffer buffer, object pair, TypeShape shape, int depth, List<object> path)
    {
        buffer.Append('[');
        WriteRead(buffer, () => shape.First!.GetValue(pair), depth + 1, path);
        buffer.Append("] = ");
        WriteRead(buffer, () => shape.Second!.GetValue(pair), depth + 1, path);
    }

    void WriteCollection(RenderBuffer buffer, object value, TypeShape shape, int depth, List<object> path)
    {
        int? count = null;
        try
        {
            count = value switch
            {
                Array array => array.Length,
                ICollection collection => collection.Count,
                _ => (int?)shape.CountProperty?.GetValue(value),
            };
        }
        catch (Exception e)
        {
            buffer.Append(shape.Name).Append(' ').Append(Failed("Count threw", e));
            return;
        }
        if (value is Array array1)
        {
            // int[3], int[2, 3]: the lengths where C# puts them.
            buffer.Append(TypeNames.ShortName(array1.GetType().GetElementType()!)).Append('[');
            for (int d = 0; d < array1.Rank; d++) buffer.Append(d > 0 ? ", " : "").Append(array1.GetLength(d).ToString(CultureInfo.InvariantCulture));
            buffer.Append(']');
        }
        else
        {
            buffer.Append(shape.Name);
            if (count is { } n) buffer.Append('[').Append(n.ToString(CultureInfo.InvariantCulture)).Append(']');
        }
        if (count == 0) { buffer.Append(" { }"); return; }

        buffer.Append(" { ");
        int shown = 0;
        IEnumerator? items = null;
        try
        {
            items = ((IEnumerable)value).GetEnumerator();
            while (!buffer.Exhausted)
            {
                bool more;
                try { more = items.MoveNext(); }
                catch (Exception e) { buffer.Append(shown > 0 ? ", " : "").Append(Failed("enumeration threw", e)); break; }
                if (!more) break;
                if (shown == _options.MaxCollectionItems)
                {
                    buffer.Append(", … (+").Append(count is { } total ? (total - shown).ToString(CultureInfo.InvariantCulture) + " more)" : "more)");
                    break;
                }
                if (shown > 0) buffer.Append(", ");
                object? item;
                try { item = items.Current; }
                catch (Exception e) { buffer.Append(Failed("enumeration threw", e)); break; }
                // A non-generic IDictionary enumerates DictionaryEntry, a generic one KeyValuePair: both render as [key] = value.
                Write(buffer, item, depth + 1, path);
                shown++;
            }
        }
        catch (Exception e)
        {
            buffer.Append(Failed("enumeration threw", e));
        }
        finally
        {
            try { (items as IDisposable)?.Dispose(); } catch (Exception) { }
        }
        buffer.Append(" }");
    }

    void WriteMembers(RenderBuffer buffer, object value, TypeShape shape, int depth, List<object> path)
    {
        if (!shape.Anonymous) buffer.Append(shape.Name).Append(' ');
        if (shape.Members.Length == 0) { buffer.Append("{ }"); return; }
        buffer.Append("{ ");
        int shown = 0;
        foreach (var member in shape.Members)
        {
            if (buffer.Exhausted) return;
            if (shown == _options.MaxMembers)
            {
                buffer.Append(", … (+").Append((shape.Members.Length - shown).ToString(CultureInfo.InvariantCulture)).Append(" members)");
                break;
            }
            if (shown > 0) buffer.Append(", ");
            WriteMember(buffer, value, member, depth, path);
            shown++;
        }
        buffer.Append(" }");
    }

    void WriteMember(RenderBuffer buffer, object target, TypeShape.Member member, int depth, List<object> path)
    {
        buffer.Append(member.Name).Append(" = ");
        // A secret's getter is not even called.
        if (member.Secret || IsSecretName(member.Name) && !IsCancellationToken(member.Field?.FieldType ?? member.Property!.PropertyType))
        {
            buffer.Append(SecretMask);
            return;
        }
        if (member.RefStructType is not null) { buffer.Append("<ref struct ").Append(member.RefStructType).Append('>'); return; }
        WriteRead(buffer, () => member.Read(target), depth + 1, path);
    }

    /// <summary>Reads a value with user code (a getter, an indexer) and renders it; what the read throws is rendered in its place.</summary>
    void WriteRead(RenderBuffer buffer, Func<object?> read, int depth, List<object> path)
    {
        object? value;
        try { value = read(); }
        catch (TargetInvocationException e) when (e.InnerException is not null) { buffer.Append(Failed("threw", e.InnerException)); return; }
        catch (Exception e) { buffer.Append(Failed("threw", e)); return; }
        Write(buffer, value, depth, path);
    }

    static string Failed(string what, Exception e) => "<" + what + " " + ExceptionHeadline(e) + ">";

    static string Safe(object value)
    {
        try { return value.ToString() ?? ""; }
        catch (Exception e) { return Failed("ToString threw", e); }
    }

    static string Escape(string text, char quote)
    {
        int i = 0;
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (c < ' ' || c == quote || c == '\\') break;
        }
        if (i == text.Length) return text;
        var escaped = new System.Text.StringBuilder(text.Length + 8);
        escaped.Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '\\': escaped.Append("\\\\"); break;
                case '\n': escaped.Append("\\n"); break;
                case '\r': escaped.Append("\\r"); break;
                case '\t': escaped.Append("\\t"); break;
                default:
                    if (c == quote) escaped.Append('\\').Append(c);
                    else if (c < ' ') escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else escaped.Append(c);
                    break;
            }
        }
        return escaped.ToString();
    }
}
