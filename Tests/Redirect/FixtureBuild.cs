extern alias Optimized;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Trapweave.Tests.Redirect;

/// <summary>
/// One build of the fixtures (Debug, or the same sources optimized), for tests that run every
/// redirected call shape against both. The woven methods are called by reflection, which passes
/// <c>out</c>/<c>ref</c> arguments through the argument array; exceptions come out unwrapped.
/// </summary>
public sealed class FixtureBuild
{
    public static TheoryData<string> Names => new() { "Debug", "Optimized" };

    public static FixtureBuild Of(string name) => name switch
    {
        "Debug" => new FixtureBuild(typeof(Fixtures.Redirects.RedirectedCalls).Assembly),
        "Optimized" => new FixtureBuild(typeof(Optimized::Fixtures.Redirects.RedirectedCalls).Assembly),
        _ => throw new ArgumentException("Unknown fixture build " + name, nameof(name)),
    };

    FixtureBuild(Assembly assembly)
    {
        Assembly = assembly;
        Calls = Type("Fixtures.Redirects.RedirectedCalls");
    }

    public Assembly Assembly { get; }

    /// <summary><c>Fixtures.Redirects.RedirectedCalls</c> of this build.</summary>
    public Type Calls { get; }

    public Type Type(string fullName) => Assembly.GetType(fullName, throwOnError: true)!;

    /// <summary>Calls the static <c>RedirectedCalls.<paramref name="method"/></c>; <paramref name="args"/> receives out and ref values.</summary>
    public T Call<T>(string method, params object[] args) => (T)Invoke(Method(method), null, args);

    /// <summary>Calls a generic method of <c>RedirectedCalls</c>, instantiated over <paramref name="typeArguments"/>.</summary>
    public T CallGeneric<T>(string method, Type[] typeArguments, params object[] args) =>
        (T)Invoke(Method(method).MakeGenericMethod(typeArguments), null, args);

    public static object Invoke(MethodBase method, object target, object[] args)
    {
        try
        {
            return method is ConstructorInfo { IsStatic: false } ctor ? ctor.Invoke(args) : method.Invoke(target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    MethodInfo Method(string name) =>
        Calls.GetMethod(name, BindingFlags.Public | BindingFlags.Static) ?? throw new MissingMethodException(Calls.FullName, name);

    public override string ToString() => Assembly.GetName().Name!;
}
