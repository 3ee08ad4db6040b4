using System;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Trapweave.Internal;

namespace Trapweave;

/// <summary>
/// One intercepted call as interceptors, arrangements and recorders see it: the method, the receiver,
/// the arguments (boxed), and the outcome. In <see cref="IInterceptor.Before"/>, replacing
/// <see cref="Arguments"/> changes what the original receives; setting <see cref="Result"/> or
/// <see cref="Exception"/> skips the original. In <see cref="IInterceptor.After"/>, both can be replaced.
/// Out and ref arguments are written back to the caller.
/// </summary>
public sealed class Invocation
{
    /// <summary>Stands for an argument or result that cannot be boxed (a ref struct such as <see cref="Span{T}"/>).</summary>
    public static readonly object Unavailable = new UnavailableValue();

    object? _result;
    Exception? _exception;
    bool _completed;
    /// <summary>The arguments as received: what the original gets back unchecked if no interceptor replaced it.</summary>
    readonly object?[] _received;

    internal Invocation(TrapTarget target, object? instance, object?[] arguments)
    {
        Target = target;
        Instance = instance;
        Arguments = arguments;
        _received = arguments.Length == 0 ? arguments : (object?[])arguments.Clone();
    }

    internal readonly TrapTarget Target;

    /// <summary>What the registration handling this call keeps between Before and After.</summary>
    internal object? State;

    /// <summary>The method called (the exact generic instantiation).</summary>
    public MethodBase Method => Target.Method;

    /// <summary>The receiver (boxed copy for value types), null for static methods.</summary>
    public object? Instance { get; }

    /// <summary>The arguments, boxed; <see cref="Unavailable"/> for ref-struct arguments.</summary>
    public object?[] Arguments { get; }

    /// <summary>The result: the original's once it ran, or the one set by an interceptor.</summary>
    public object? Result
    {
        get => _result;
        set
        {
            _result = value;
            _exception = null;
            _completed = true;
            ResultIsOriginal = false;
        }
    }

    /// <summary>The exception the call ends with (the original's, or one set by an interceptor); null if none.</summary>
    public Exception? Exception
    {
        get => _exception;
        set
        {
            _exception = value;
            _completed = true;
        }
    }

    /// <summary>True once the call has an outcome: set by an interceptor (the original is skipped) or by the original.</summary>
    public bool HasOutcome => _completed;

    /// <summary>Whether <see cref="Result"/> is still exactly what the original returned.</summary>
    internal bool ResultIsOriginal { get; private set; }

    /// <summary>Completes the call with <paramref name="value"/> (the original is skipped when done in Before).</summary>
    public void Return(object? value) => Result = value;

    /// <summary>Completes the call with <paramref name="exception"/> (thrown to the caller unchanged).</summary>
    public void Throw(Exception exception) => Exception = exception ?? throw new ArgumentNullException(nameof(exception));

    /// <summary>The argument at <paramref name="index"/> converted to <typeparamref name="T"/>.</summary>
    public T Arg<T>(int index) => (T)Arguments[index]!;

    // Called by generated handlers.
    internal void SetOriginalResult(object? value)
    {
        _result = value;
        _completed = true;
        ResultIsOriginal = true;
    }

    internal void SetOriginalException(Exception exception)
    {
        _exception = exception;
        _completed = true;
        ResultIsOriginal = false;
    }

    internal object? GetArgument(int index, Type type)
    {
        var value = Arguments[index];
        // Only replacements are checked: what the caller passed goes back as it came, even an object
        // its static type does not describe (Jint hands an object[] on as a JsValue[] through Unsafe.As).
        if (!ReferenceEquals(value, _received[index]) && !Fits(value, type))
            throw new TrapException($"An interceptor of {Target.Name} set argument {index} ('{Target.Parameters[index].Name}') to {Describe(value)}, which is not a {TrapTarget.TypeName(type)}.");
        return value;
    }

    internal object? GetResult(Type type)
    {
        if (!ResultIsOriginal && !Fits(_result, type))
            throw new TrapException($"An interception of {Target.Name} produced {Describe(_result)} as result, which is not a {TrapTarget.TypeName(type)}.");
        return _result;
    }

    [StackTraceHidden]
    internal void ThrowIfFailed()
    {
        if (_exception is not null) ExceptionDispatchInfo.Capture(_exception).Throw();
    }

    internal void RefuseReplacedRefLikeResult()
    {
        if (!ResultIsOriginal && _exception is null)
            throw new TrapException($"The result of {Target.Name} is a ref struct and cannot be replaced by an interceptor or arrangement. Use Trap.Patch with a same-signature delegate.");
    }

    static bool Fits(object? value, Type type)
    {
        if (type.IsByRef) type = type.GetElementType()!;
        if (type.IsPointer || type.IsFunctionPointer) return value is IntPtr;
        if (value is null) return !type.IsValueType || Nullable.GetUnderlyingType(type) is not null;
        if (type.IsByRefLike) return ReferenceEquals(value, Unavailable);
        return type.IsInstanceOfType(value) || (Nullable.GetUnderlyingType(type) is { } u && u.IsInstanceOfType(value));
    }

    static string Describe(object? value) => value is null ? "null" : $"a {TrapTarget.TypeName(value.GetType())} ({value})";

    public override string ToString() => $"{Target.Name}({string.Join(", ", Arguments)})";

    sealed class UnavailableValue
    {
        public override string ToString() => "<unavailable ref struct>";
    }
}
