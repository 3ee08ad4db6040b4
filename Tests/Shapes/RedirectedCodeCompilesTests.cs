extern alias Optimized;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using External;
using Fixtures;

namespace Trapweave.Tests.Shapes;

/// <summary>
/// What call-site redirection adds to a woven module JIT-compiles, in the Debug and the optimized
/// fixture builds: every redirect stub (<c>&lt;Trapweave&gt;Redirects</c> inline stubs and their
/// <c>Armed</c> twins), generic ones over reference and value types where constraints allow, and
/// every method, compiler-generated ones included, whose call sites were redirected.
/// </summary>
public class RedirectedCodeCompilesTests
{
    const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
    const string RedirectsType = "<Trapweave>Redirects";

    public static TheoryData<string> Assemblies => WovenMethodsTests.Assemblies;

    static Assembly Load(string name) => name switch
    {
        "Trapweave.Fixtures" => typeof(Counter).Assembly,
        _ => typeof(Optimized::Fixtures.Counter).Assembly,
    };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Every_redirect_stub_compiles_over_reference_and_value_types(string assembly)
    {
        var asm = Load(assembly);
        var inline = asm.GetType(RedirectsType, throwOnError: true)!;
        var armed = asm.GetType(RedirectsType + "+Armed", throwOnError: true)!;
        var inlineStubs = inline.GetMethods(Declared);
        var armedStubs = armed.GetMethods(Declared);
        // One armed stub per inline one, with the same name and signature.
        Assert.Equal(inlineStubs.Select(Signature).OrderBy(s => s), armedStubs.Select(Signature).OrderBy(s => s));

        var failures = new List<string>();
        var prepared = 0;
        var generic = 0;
        var constrained = 0;
        foreach (var stub in inlineStubs.Concat(armedStubs))
        {
            if (stub.IsGenericMethodDefinition)
            {
                generic++;
                if (stub.GetGenericArguments()[0].Name == "TReceiver") constrained++;
                var instantiations = StubInstantiations(stub).ToList();
                if (instantiations.Count == 0) failures.Add($"{Name(stub)}: no instantiation satisfies its constraints");
                // Every kind (reference or value type) that some valid instantiation has at a position
                // is prepared there: both, unless constraints (or a constrained call's receiver) allow one.
                var allowed = ValidInstantiations(stub).SelectMany(a => a.Select((t, i) => (i, t.IsValueType))).ToHashSet();
                var chosen = instantiations.SelectMany(a => a.Select((t, i) => (i, t.IsValueType))).ToHashSet();
                foreach (var (i, isValue) in allowed.Except(chosen))
                    failures.Add($"{Name(stub)}: no {(isValue ? "value" : "reference")}-type instantiation of {stub.GetGenericArguments()[i].Name}");
                foreach (var parameter in stub.GetGenericArguments())
                {
                    var attributes = parameter.GenericParameterAttributes;
                    var either = parameter.Name != "TReceiver" &&
                                 !attributes.HasFlag(GenericParameterAttributes.ReferenceTypeConstraint) &&
                                 !attributes.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint) &&
                                 parameter.GetGenericParameterConstraints().Length == 0;
                    if (either && !(chosen.Contains((parameter.GenericParameterPosition, true)) && chosen.Contains((parameter.GenericParameterPosition, false))))
                        failures.Add($"{Name(stub)}: unconstrained {parameter.Name} not prepared over both a reference and a value type");
                }
                foreach (var args in instantiations) prepared += Prepare(stub, args, failures);
            }
            else prepared += Prepare(stub, Type.EmptyTypes, failures);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // The fixture's shapes: dozens of members, generic ones and constrained calls among them.
        Assert.True(inlineStubs.Length >= 40, $"only {inlineStubs.Length} stubs");
        Assert.True(generic >= 10 && constrained >= 4, $"{generic} generic stubs, {constrained} constrained ones");
        Assert.True(prepared > inlineStubs.Length * 2, $"only {prepared} stub bodies prepared");
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Every_method_with_redirected_call_sites_compiles(string assembly)
    {
        var asm = Load(assembly);
        var callers = MethodsCallingStubs(asm).ToList();
        var failures = new List<string>();
        var prepared = 0;
        foreach (var method in callers)
        {
            var instantiations = WovenMethodsTests.InstantiationArguments(method).ToList();
            if (instantiations.Count == 0) failures.Add("no instantiation found for " + WovenMethodsTests.Name(method));
            foreach (var args in instantiations) prepared += Prepare(method, args, failures);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // Compiler-generated bodies are among them: state machines, lambdas, local functions, field initialisers.
        var names = callers.Select(m => m.DeclaringType!.FullName + "::" + m.Name).ToList();
        Assert.Contains(names, n => n.Contains("<InAsyncMethod>") && n.EndsWith("::MoveNext"));
        Assert.Contains(names, n => n.Contains("<InIterator>") && n.EndsWith("::MoveNext"));
        Assert.Contains(names, n => n.Contains("<InLambda>b__"));
        Assert.Contains(names, n => n.Contains("<InLocalFunction>g__Local"));
        Assert.Contains(names, n => n.Contains("<InLinq>b__"));
        Assert.Contains("Fixtures.Redirects.InitialisedFields::.cctor", names);
        Assert.Contains("Fixtures.Redirects.InitialisedFields::.ctor", names);
        Assert.True(prepared >= 60, $"only {prepared} bodies with redirected call sites prepared");
    }

    /// <summary>Every method (compiler-generated ones included) whose IL calls or loads a redirect stub.</summary>
    static IEnumerable<MethodBase> MethodsCallingStubs(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            if (type.FullName!.StartsWith("<Trapweave>", StringComparison.Ordinal)) continue;
            var methods = type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared));
            foreach (var method in methods)
                if (CallsStub(method)) yield return method;
        }
    }

    static bool CallsStub(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) return false;
        var typeArgs = method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        foreach (var (_, op, operand) in WovenIl.Decode(il))
        {
            if (op != OpCodes.Call && op != OpCodes.Ldftn) continue;
            var called = method.Module.ResolveMethod(operand, typeArgs, methodArgs);
            if (called?.DeclaringType?.FullName == RedirectsType) return true;
        }
        return false;
    }

    static int Prepare(MethodBase method, Type[] args, List<string> failures)
    {
        try
        {
            if (args.Length == 0) RuntimeHelpers.PrepareMethod(method.MethodHandle);
            else RuntimeHelpers.PrepareMethod(method.MethodHandle, args.Select(a => a.TypeHandle).ToArray());
            return 1;
        }
        catch (Exception e) when (e is InvalidProgramException or BadImageFormatException or TypeLoadException or System.Security.VerificationException or MissingMethodException)
        {
            failures.Add($"{Name(method)} [{string.Join(", ", args.Select(a => a.Name))}]: {e.GetType().Name}: {e.Message}");
            return 0;
        }
    }

    /// <summary>Reference and value types from the fixtures' external library and the framework.</summary>
    static readonly Type[] Candidates =
    {
        typeof(string), typeof(object), typeof(Store), typeof(Gauge), typeof(int), typeof(long), typeof(Meter), typeof(Pair),
    };

    /// <summary>Every instantiation over <see cref="Candidates"/> that satisfies the stub's constraints and, for a constrained call, fits its receiver.</summary>
    static IEnumerable<Type[]> ValidInstantiations(MethodInfo stub)
    {
        foreach (var args in Combinations(stub.GetGenericArguments().Length))
        {
            MethodInfo closed;
            try { closed = stub.MakeGenericMethod(args); }
            catch (ArgumentException) { continue; }
            if (ReceiverFits(closed)) yield return args;
        }
    }

    /// <summary>A few valid instantiations, chosen so every position gets each kind (reference, value type) some valid one has there.</summary>
    static IEnumerable<Type[]> StubInstantiations(MethodInfo stub)
    {
        var covered = new HashSet<(int, bool)>();
        var taken = 0;
        foreach (var args in ValidInstantiations(stub))
        {
            var adds = args.Select((a, i) => (i, a.IsValueType)).Where(k => !covered.Contains(k)).ToList();
            if (adds.Count == 0 && taken >= 2) continue;
            foreach (var k in adds) covered.Add(k);
            taken++;
            yield return args;
        }
    }

    /// <summary>For a constrained stub (generic over TReceiver first): the receiver type implements what the stub calls.</summary>
    static bool ReceiverFits(MethodInfo closed)
    {
        var definition = closed.GetGenericMethodDefinition();
        if (definition.GetGenericArguments()[0].Name != "TReceiver") return true;
        var code = WovenIl.Decode(closed.GetMethodBody()!.GetILAsByteArray()!);
        var at = code.FindIndex(x => x.Op == OpCodes.Constrained);
        var member = closed.Module.ResolveMethod(code[at + 1].Operand, null, closed.GetGenericArguments())!;
        return member.DeclaringType!.IsAssignableFrom(closed.GetGenericArguments()[0]);
    }

    static IEnumerable<Type[]> Combinations(int count)
    {
        var index = new int[count];
        while (true)
        {
            yield return index.Select(i => Candidates[i]).ToArray();
            var k = count - 1;
            while (k >= 0 && ++index[k] == Candidates.Length) index[k--] = 0;
            if (k < 0) yield break;
        }
    }

    static string Signature(MethodInfo m) =>
        $"{m.ReturnType.Name} {m.Name}`{m.GetGenericArguments().Length}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})";

    static string Name(MethodBase m) => $"{m.DeclaringType!.Name}::{m.Name}`{(m.IsGenericMethodDefinition ? m.GetGenericArguments().Length : 0)}";
}
