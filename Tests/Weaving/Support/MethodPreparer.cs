using System.Reflection;
using System.Runtime.CompilerServices;

namespace Trapweave.Tests.Weaving.Support;

/// <summary>What <see cref="MethodPreparer.PrepareAll"/> found.</summary>
public sealed class PrepareReport
{
    /// <summary>Methods and constructors with an IL body that the JIT compiled.</summary>
    public int Prepared { get; set; }
    /// <summary>Generic methods or methods of generic types for which no instantiation satisfying the constraints was found.</summary>
    public int NoInstantiation { get; set; }
    /// <summary>"Type::Method: ExceptionType: message" for every method the JIT refused.</summary>
    public List<string> Failures { get; } = new();
    public int InvalidProgram => Failures.Count(f => f.Contains(nameof(InvalidProgramException)));
}

/// <summary>
/// JIT-compiles every method with an IL body in an assembly (RuntimeHelpers.PrepareMethod): woven IL
/// the JIT would reject shows up here without having to run it. Generic code is instantiated with type
/// arguments that satisfy the constraints where some are found.
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

            var typeArgs = Type.EmptyTypes;
            Type closedType = type;
            if (type.IsGenericTypeDefinition)
            {
                typeArgs = Instantiate(type.GetGenericArguments(), assembly, args => type.MakeGenericType(args));
                if (typeArgs is null)
                {
                    report.NoInstantiation += methods.Count;
                    continue;
                }
                closedType = type.MakeGenericType(typeArgs);
            }

            foreach (var method in methods)
            {
                var methodArgs = Type.EmptyTypes;
                if (method.IsGenericMethodDefinition)
                {
                    var onClosed = (MethodInfo)MethodBase.GetMethodFromHandle(method.MethodHandle, closedType.TypeHandle)!;
                    methodArgs = Instantiate(method.GetGenericArguments(), assembly, args => onClosed.MakeGenericMethod(args));
                    if (methodArgs is null)
                    {
                        report.NoInstantiation++;
                        continue;
                    }
                }
                var instantiation = typeArgs.Concat(methodArgs).Select(t => t.TypeHandle).ToArray();
                try
                {
                    RuntimeHelpers.PrepareMethod(method.MethodHandle, instantiation.Length == 0 ? null : instantiation);
                    report.Prepared++;
                }
                catch (Exception e)
                {
                    report.Failures.Add($"{type.FullName}::{method}: {e.GetType().Name}: {e.Message}");
                }
            }
        }
        return report;
    }

    /// <summary>Type arguments for <paramref name="parameters"/> that <paramref name="make"/> accepts, or null.</summary>
    static Type[] Instantiate(Type[] parameters, Assembly assembly, Func<Type[], object> make)
    {
        var candidates = parameters.Select(p => Candidates(p, assembly).Distinct().ToArray()).ToArray();
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

    static Type[] SafeTypes(Assembly assembly)
    {
        try { return assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { return e.Types.Where(t => t is not null).ToArray()!; }
    }

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
