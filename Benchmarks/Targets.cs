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

    public static MethodInfo Method(string name) => typeof(Woven).GetMethod(name)!;

    public static void Check(bool condition, string what)
    {
        if (!condition) throw new InvalidOperationException("Benchmark precondition failed: " + what);
    }
}
