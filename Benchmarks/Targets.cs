using System;
using System.Reflection;
using System.Runtime.CompilerServices;
using Trapweave;

namespace Benchmarks.Targets;

/// <summary>
/// The measured methods, woven by the Trapweave Fody add-in. Each scenario has its own copy of the
/// same body so that arming one never arms another, whatever process BenchmarkDotNet runs it in.
/// </summary>
public static class Woven
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int AddUnarmed(int a, int b) => a + b;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int AddArmedElsewhere(int a, int b) => a + b;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int AddArmedElsewhereBusyFlow(int a, int b) => a + b;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int AddPatched(int a, int b) => a + b;

    /// <summary>Patched inside test-like scopes (assembly, class, test), as the test-framework integration runs every test.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int AddPatchedInScope(int a, int b) => a + b;

    /// <summary>Registered and disposed over and over (registration cost).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int AddRegistered(int a, int b) => a + b;

    /// <summary>Patched with a replacement the handler calls through <c>Delegate.Invoke</c> (a virtual method).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int AddPatchedViaInvoke(int a, int b) => a + b;

    /// <summary>A non-leaf method: its body calls out, so it has a stack frame of its own.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int AddViaHelperUnarmed(int a, int b) => Plain.Identity(a) + b;

    /// <summary>Arranged with <c>Trap.When(...).Returns</c>: the woven-method counterpart of a redirected <c>DateTime.UtcNow</c> hit.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static DateTime Clock() => Epoch;

    static readonly DateTime Epoch = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Traced (TraceBenchmarks): each call recorded with its two arguments and result.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int AddTraced(int a, int b) => a + b;

    /// <summary>Traced and exported as a span to a listener that wants all data (TraceBenchmarks).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int AddTracedWithSpans(int a, int b) => a + b;

    /// <summary>Traced once, then the trace stopped: its cost should be the unarmed one again.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int AddTracedThenStopped(int a, int b) => a + b;

    /// <summary>Patched in the benchmark flow of the "busy flow" scenario, so that flow has a registration set.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Other(int a) => a;
}

/// <summary>The unwoven baseline: the same method, opted out of weaving.</summary>
[NoTrap]
public static class Plain
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Add(int a, int b) => a + b;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int AddViaHelper(int a, int b) => Identity(a) + b;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Identity(int a) => a;

    [ThreadStatic] static int t_offset;

    /// <summary>Add that also reads a [ThreadStatic]: the floor for knowing the current flow (a reference point).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int AddReadingThreadStatic(int a, int b) => a + b + t_offset;

    /// <summary>A delegate over <see cref="Add"/>: what calling a replacement costs at least (a reference point).</summary>
    public static readonly Func<int, int, int> AddDelegate = Add;
}

/// <summary>The interface the mocking libraries fake.</summary>
public interface ICalc
{
    int Add(int a, int b);
}

/// <summary>Introspection of woven code, for the setup assertions.</summary>
[NoTrap]
public static class Probe
{
    public const string TrapTable = "<Trapweave>TrapTable";

    /// <summary>
    /// The armed flag of a woven method: the field of <c>&lt;Trapweave&gt;TrapTable</c> loaded by the
    /// method's first instruction (<c>ldsfld</c>, after a <c>nop</c> where the flag load would
    /// otherwise open the method), as the prologue is written.
    /// </summary>
    public static FieldInfo FlagOf(MethodInfo method)
    {
        var il = method.GetMethodBody()!.GetILAsByteArray()!;
        var at = il.Length > 0 && il[0] == 0x00 ? 1 : 0; // nop
        if (il.Length < at + 5 || il[at] != 0x7E) // ldsfld
            throw new InvalidOperationException($"{method.Name} does not start with ldsfld: it was not woven.");
        var field = method.Module.ResolveField(BitConverter.ToInt32(il, at + 1))!;
        if (field.DeclaringType!.FullName != TrapTable)
            throw new InvalidOperationException($"{method.Name} starts with ldsfld {field.DeclaringType.FullName}::{field.Name}, not a trap flag.");
        return field;
    }

    /// <summary>The handler delegate type of a woven method: the <c>ldtoken</c> of its armed block.</summary>
    public static Type HandlerTypeOf(MethodInfo method)
    {
        var il = method.GetMethodBody()!.GetILAsByteArray()!;
        for (var i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] != 0xD0) continue; // ldtoken
            try
            {
                var type = method.Module.ResolveType(BitConverter.ToInt32(il, i + 1));
                if (type.DeclaringType?.FullName == TrapTable) return type;
            }
            catch (ArgumentException) { }
        }
        throw new InvalidOperationException($"{method.Name} has no ldtoken of a handler type.");
    }

    public static int FlagValue(MethodInfo method) => (int)FlagOf(method).GetValue(null)!;

    public const string Redirects = "<Trapweave>Redirects";

    /// <summary>The inline redirect stub named <paramref name="stub"/> (<c>DateTime.get_UtcNow</c>) of this assembly.</summary>
    public static MethodInfo Stub(string stub)
    {
        var type = typeof(Probe).Assembly.GetType(Redirects, throwOnError: true)!;
        return type.GetMethod(stub, BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
               ?? throw new InvalidOperationException($"No redirect stub {stub} in {Redirects}: its call sites were not redirected.");
    }

    /// <summary>The armed flag of an inline redirect stub: the field its first instruction loads.</summary>
    public static int StubFlagValue(string stub)
    {
        var method = Stub(stub);
        var il = method.GetMethodBody()!.GetILAsByteArray()!;
        if (il.Length < 5 || il[0] != 0x7E) throw new InvalidOperationException($"{stub} does not start with ldsfld.");
        var field = method.Module.ResolveField(BitConverter.ToInt32(il, 1))!;
        if (field.DeclaringType!.FullName != TrapTable) throw new InvalidOperationException($"{stub} loads {field.Name}, not a trap flag.");
        return (int)field.GetValue(null)!;
    }

    /// <summary>Whether <paramref name="method"/>'s IL calls the inline redirect stub <paramref name="stub"/>.</summary>
    public static bool CallsStub(MethodInfo method, string stub)
    {
        var il = method.GetMethodBody()!.GetILAsByteArray()!;
        for (var i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] != 0x28) continue; // call
            try
            {
                var called = method.Module.ResolveMethod(BitConverter.ToInt32(il, i + 1));
                if (called?.DeclaringType?.FullName == Redirects && called.Name == stub) return true;
            }
            catch (ArgumentException) { }
        }
        return false;
    }

    public static MethodInfo Method(string name) => typeof(Woven).GetMethod(name)!;

    public static void Check(bool condition, string what)
    {
        if (!condition) throw new InvalidOperationException("Benchmark precondition failed: " + what);
    }
}
