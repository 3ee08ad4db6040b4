using System.Reflection;
using System.Runtime.CompilerServices;

namespace Trapweave.Tests.Weaving.Support;

/// <summary>What <see cref="MethodPreparer.PrepareAll"/> found.</summary>
public sealed class PrepareReport
{
    /// <summary>Methods and constructors with an IL body that the JIT compiled (generic ones counted once).</summary>
    public int Prepared { get; set; }
    /// <summary>Compilations in all: generic code is compiled once over reference types and once over value types where constraints allow.</summary>
    public int Instantiations { get; set; }
    /// <summary>Generic methods or methods of generic types for which no instantiation satisfying the constraints was found.</summary>
    public int NoInstantiation { get; set; }
    /// <summary>"Type::Method: ExceptionType: message" for every method the JIT refused.</summary>
    public List<string> Failures { get; } = new();
    public int InvalidProgram => Failures.Count(f => f.Contains(nameof(InvalidProgramException)));
}

/// <summary>
/// JIT-compiles every method with an IL body in an assembly (RuntimeHelpers.PrepareMethod): woven IL
/// the JIT would reject shows up here without having to run it. Generic code is instantiated with type
/// arguments that satisfy the constraints where some are found: reference types (shared code) and
/// value types (code of its own), each where the constraints allow.
/// </summary>
public static class MethodPreparer
{
    const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static PrepareReport PrepareAll(Assembly assembly)
    {
        var report = new PrepareReport();
        Type[] types;
        try { types = assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types.Where(t => t is not null).ToArray()!; }

        foreach (var type in types)
        {
            var methods = type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All))
                .Where(m => m.GetMethodBody() is not null)
                .ToList();
            if (methods.Count == 0) continue;

            var typeInstantiations = new List<Type[]> { Type.EmptyTypes };
            if (type.IsGenericTypeDefinition)
            {
                typeInstantiations = Instantiations(type.GetGenericArguments(), assembly, args => type.MakeGenericType(args));
                if (typeInstantiations.Count == 0)
                {
                    report.NoInstantiation += methods.Count;
                    continue;
                }
            }

            foreach (var method in methods)
            {
                var prepared = false;
                var instantiated = false;
                foreach (var typeArgs in typeInstantiations)
                {
                    var closedType = typeArgs.Length == 0 ? type : type.MakeGenericType(typeArgs);
                    var methodInstantiations = new List<Type[]> { Type.EmptyTypes };
                    if (method.IsGenericMethodDefinition)
                    {
                        var onClosed = (MethodInfo)MethodBase.GetMethodFromHandle(method.MethodHandle, closedType.TypeHandle)!;
                        methodInstantiations = Instantiations(method.GetGenericArguments(), assembly, args => onClosed.MakeGenericMethod(args));
                    }
                    foreach (var methodArgs in methodInstantiations)
                    {
                        instantiated = true;
                        var instantiation = typeArgs.Concat(methodArgs).Select(t => t.TypeHandle).ToArray();
                        try
                        {
                            RuntimeHelpers.PrepareMethod(method.MethodHandle, instantiation.Length == 0 ? null : instantiation);
                            report.Instantiations++;
                            prepared = true;
                        }
                        catch (Exception e)
                        {
                            var over = instantiation.Length == 0 ? "" : " over <" + string.Join(", ", typeArgs.Concat(methodArgs).Select(t => t.Name)) + ">";
                            report.Failures.Add($"{type.FullName}::{method}{over}: {e.GetType().Name}: {e.Message}");
                        }
                    }
                }
                if (!instantiated) report.NoInstantiation++;
                else if (prepared) report.Prepared++;
            }
        }
        return report;
    }

    /// <summary>Methods and constructors with an IL body: what <see cref="PrepareAll"/> compiles, or counts as not instantiated or failed.</summary>
    public static int MethodsWithBodies(Assembly assembly) =>
        SafeTypes(assembly).Sum(t => t.GetMethods(All).Cast<MethodBase>().Concat(t.GetConstructors(All)).Count(m => m.GetMethodBody() is not null));

    /// <summary>The handler shapes' dispatchers of a woven assembly (static methods of its trap table): methods weaving added besides redirect stubs.</summary>
    public static int Dispatchers(Assembly assembly) =>
        assembly.GetType(Trapweave.Fody.Core.TrapTableBuilder.TypeName)?.GetMethods(All).Length ?? 0;

    /// <summary>
    /// Up to two instantiations of <paramref name="parameters"/> that <paramref name="make"/> accepts:
    /// one preferring reference types, one preferring value types (the same when only one kind fits).
    /// </summary>
    static List<Type[]> Instantiations(Type[] parameters, Assembly assembly, Func<Type[], object> make)
    {
        var found = new List<Type[]>();
        foreach (var valueTypesFirst in new[] { false, true })
        {
            var combination = Instantiate(parameters, assembly, make, valueTypesFirst);
            if (combination is not null && !found.Any(f => f.SequenceEqual(combination))) found.Add(combination);
        }
        return found;
    }

    /// <summary>Type arguments for <paramref name="parameters"/> that <paramref name="make"/> accepts, or null.</summary>
    static Type[] Instantiate(Type[] parameters, Assembly assembly, Func<Type[], object> make, bool valueTypesFirst)
    {
        var candidates = parameters.Select(p => Candidates(p, assembly).Distinct().OrderBy(t => t.IsValueType != valueTypesFirst).ToArray()).ToArray();
        var attempts = 0;
        foreach (var combination in Combinations(candidates))
        {
            if (++attempts > 400) break;
            try
            {
                make(combination);
                return combination;
            }
            catch (ArgumentException) { }
            catch (TypeLoadException) { }
            catch (NotSupportedException) { }
        }
        return null;
    }

    static IEnumerable<Type> Candidates(Type parameter, Assembly assembly)
    {
        var attributes = parameter.GenericParameterAttributes;
        var valueType = (attributes & GenericParameterAttributes.NotNullableValueTypeConstraint) != 0;
        foreach (var constraint in parameter.GetGenericParameterConstraints())
        {
            if (constraint.ContainsGenericParameters || constraint == typeof(ValueType)) continue;
            yield return constraint;
            // Concrete types of the assembly that satisfy the constraint (for new() and abstract bases).
            foreach (var t in SafeTypes(assembly).Where(t => !t.IsAbstract && !t.IsInterface && !t.ContainsGenericParameters && constraint.IsAssignableFrom(t)).Take(4))
                yield return t;
        }
        if (valueType)
        {
            yield return typeof(int);
            yield return typeof(long);
            yield return typeof(Guid);
            yield return typeof(DateTime);
            yield break;
        }
        yield return typeof(object);
        yield return typeof(string);
        yield return typeof(int);
        yield return typeof(List<int>);
        yield return typeof(Exception);
    }

    static readonly ConditionalWeakTable<Assembly, Type[]> TypesOf = new();

    static Type[] SafeTypes(Assembly assembly) => TypesOf.GetValue(assembly, a =>
    {
        try { return a.GetTypes(); }
        catch (ReflectionTypeLoadException e) { return e.Types.Where(t => t is not null).ToArray()!; }
    });

    static IEnumerable<Type[]> Combinations(Type[][] candidates)
    {
        var index = new int[candidates.Length];
        if (candidates.Any(c => c.Length == 0)) yield break;
        while (true)
        {
            yield return index.Select((i, p) => candidates[p][i]).ToArray();
            var position = candidates.Length - 1;
            while (position >= 0 && ++index[position] == candidates[position].Length)
            {
                index[position] = 0;
                position--;
            }
            if (position < 0) yield break;
        }
    }
}
