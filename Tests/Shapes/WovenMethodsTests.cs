extern alias Optimized;
using System.Reflection;
using System.Runtime.CompilerServices;
using Fixtures;

namespace Trapweave.Tests.Shapes;

/// <summary>Every method of every fixture assembly: woven exactly when expected, and every woven body compiles.</summary>
public class WovenMethodsTests
{
    const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static TheoryData<string> Assemblies => new() { "Trapweave.Fixtures", "Trapweave.Fixtures.Optimized" };

    static Assembly Load(string name) => name switch
    {
        "Trapweave.Fixtures" => typeof(Counter).Assembly,
        _ => typeof(Optimized::Fixtures.Counter).Assembly,
    };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Every_method_is_woven_exactly_when_expected(string assembly)
    {
        var wrong = new List<string>();
        var woven = 0;
        foreach (var method in AllMethods(Load(assembly)))
        {
            var expected = ExpectWoven(method);
            var instances = Instantiations(method).ToList();
            if (instances.Count == 0)
            {
                wrong.Add("no instantiation found for " + Name(method));
                continue;
            }
            foreach (var closed in instances)
            {
                var actual = Trap.IsTrapped(closed);
                if (actual != expected) wrong.Add($"{Name(closed)}: expected {(expected ? "woven" : "not woven")}");
            }
            if (expected) woven++;
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.True(woven > 300, $"only {woven} woven methods found");
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Every_woven_method_compiles(string assembly)
    {
        var failures = new List<string>();
        var prepared = 0;
        foreach (var method in AllMethods(Load(assembly)))
        {
            if (!ExpectWoven(method)) continue;
            foreach (var args in InstantiationArguments(method))
            {
                try
                {
                    if (args.Length == 0) RuntimeHelpers.PrepareMethod(method.MethodHandle);
                    else RuntimeHelpers.PrepareMethod(method.MethodHandle, args.Select(a => a.TypeHandle).ToArray());
                    prepared++;
                }
                catch (Exception e) when (e is InvalidProgramException or BadImageFormatException or TypeLoadException or System.Security.VerificationException)
                {
                    failures.Add($"{Name(method)} [{string.Join(", ", args.Select(a => a.Name))}]: {e.GetType().Name}: {e.Message}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(prepared > 300, $"only {prepared} bodies prepared");
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void The_prologue_and_armed_block_sit_outside_branches_and_protected_regions(string assembly)
    {
        var problems = new List<string>();
        var checkedCount = 0;
        foreach (var method in AllMethods(Load(assembly)))
        {
            if (!ExpectWoven(method)) continue;
            var il = new WovenIl(method);
            problems.AddRange(il.PlacementProblems().Select(p => Name(method) + ": " + p));
            if (method is not ConstructorInfo && il.PrologueStart != 0) problems.Add(Name(method) + ": the prologue is not first");
            checkedCount++;
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(checkedCount > 300);
    }

    internal static IEnumerable<MethodBase> AllMethods(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            if (type.FullName!.StartsWith("<Trapweave>", StringComparison.Ordinal)) continue;
            foreach (var m in type.GetMethods(Declared)) yield return m;
            foreach (var c in type.GetConstructors(Declared)) yield return c;
            if (type.TypeInitializer is { } cctor) yield return cctor;
        }
    }

    /// <summary>The weaver's rules, restated independently.</summary>
    internal static bool ExpectWoven(MethodBase method)
    {
        var type = method.DeclaringType!;
        if (method.GetMethodBody() is null) return false;
        if (method is ConstructorInfo { IsStatic: true }) return false;
        if (method.Name == "Finalize" && method.GetParameters().Length == 0 && !method.IsStatic) return false;
        if (method.Name.StartsWith('<')) return false;
        if (method.CallingConvention.HasFlag(CallingConventions.VarArgs)) return false;
        if (method.GetParameters().Any(p => p.ParameterType == typeof(TypedReference))) return false;
        for (var t = type; t is not null; t = t.DeclaringType)
        {
            if (t.Name.StartsWith('<') || t.IsDefined(typeof(CompilerGeneratedAttribute), false)) return false;
            if (t.IsDefined(typeof(NoTrapAttribute), false)) return false;
        }
        if (typeof(Delegate).IsAssignableFrom(type)) return false;
        if (method.IsDefined(typeof(NoTrapAttribute), false)) return false;
        if (type.GetProperties(Declared).Any(p => (p.GetMethod == method || p.SetMethod == method) && p.IsDefined(typeof(NoTrapAttribute), false))) return false;
        if (type.GetEvents(Declared).Any(e => (e.AddMethod == method || e.RemoveMethod == method) && e.IsDefined(typeof(NoTrapAttribute), false))) return false;
        if (type.Namespace == "Fixtures" && Outermost(type).Name.StartsWith("Excluded", StringComparison.Ordinal)) return false;
        return true;
    }

    static Type Outermost(Type t)
    {
        while (t.DeclaringType is not null) t = t.DeclaringType;
        return t;
    }

    static readonly string[] FixtureCandidates = { "Fixtures.Point", "Fixtures.User", "Fixtures.Concrete", "Fixtures.Meters", "Fixtures.StructGreeter", "Fixtures.PrivateConstraints+IMode", "Fixtures.PrivateConstraints+Fast", "Fixtures.PrivateConstraints+IShared" };

    /// <summary>Type arguments to try, fixture types taken from the method's own assembly.</summary>
    static Type[] Candidates(Assembly assembly) =>
        new[] { typeof(object), typeof(int), typeof(string), typeof(long) }
            .Concat(FixtureCandidates.Select(n => assembly.GetType(n, throwOnError: true)!))
            // Receivers of the redirected external interfaces (constrained calls in Fixtures.Redirects).
            .Concat(new[] { typeof(External.Meter), typeof(External.Gauge), typeof(External.Store) }).ToArray();

    /// <summary>Type arguments (type's then method's) that satisfy the constraints; one empty array for non-generic methods.</summary>
    internal static IEnumerable<Type[]> InstantiationArguments(MethodBase method)
    {
        var typeParams = method.DeclaringType!.IsGenericTypeDefinition ? method.DeclaringType.GetGenericArguments() : Type.EmptyTypes;
        var methodParams = method.IsGenericMethodDefinition ? method.GetGenericArguments() : Type.EmptyTypes;
        var count = typeParams.Length + methodParams.Length;
        if (count == 0)
        {
            yield return Type.EmptyTypes;
            yield break;
        }
        var found = 0;
        foreach (var combo in Combinations(Candidates(method.Module.Assembly), count))
        {
            if (Close(method, combo) is null) continue;
            yield return combo;
            if (++found == 4) yield break;
        }
    }

    internal static IEnumerable<MethodBase> Instantiations(MethodBase method)
    {
        foreach (var args in InstantiationArguments(method))
            if (args.Length == 0) yield return method;
            else if (Close(method, args) is { } closed) yield return closed;
    }

    static MethodBase Close(MethodBase method, Type[] args)
    {
        try
        {
            var type = method.DeclaringType!;
            var typeCount = type.IsGenericTypeDefinition ? type.GetGenericArguments().Length : 0;
            var closedType = typeCount == 0 ? type : type.MakeGenericType(args[..typeCount]);
            var inType = typeCount == 0 ? method : MethodBase.GetMethodFromHandle(method.MethodHandle, closedType.TypeHandle)!;
            return inType is MethodInfo { IsGenericMethodDefinition: true } mi ? mi.MakeGenericMethod(args[typeCount..]) : inType;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    static IEnumerable<Type[]> Combinations(Type[] candidates, int count)
    {
        var index = new int[count];
        while (true)
        {
            yield return index.Select(i => candidates[i]).ToArray();
            var k = count - 1;
            while (k >= 0 && ++index[k] == candidates.Length) index[k--] = 0;
            if (k < 0) yield break;
        }
    }

    internal static string Name(MethodBase m) => $"{m.DeclaringType}::{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})";
}
