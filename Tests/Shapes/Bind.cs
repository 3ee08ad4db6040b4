using System.Reflection;

namespace Trapweave.Tests.Shapes;

/// <summary>Reflection shortcuts for targets C# cannot name as method groups (accessors, operators, constructors).</summary>
static class Bind
{
    const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static MethodInfo Method(Type type, string name) =>
        type.GetMethod(name, All) ?? throw new MissingMethodException(type.Name, name);

    public static MethodInfo Method(Type type, string name, params Type[] parameters) =>
        type.GetMethod(name, All, parameters) ?? throw new MissingMethodException(type.Name, name);

    public static MethodInfo Getter(Type type, string property) => type.GetProperty(property, All)!.GetMethod!;

    public static MethodInfo Setter(Type type, string property) => type.GetProperty(property, All)!.SetMethod!;

    public static ConstructorInfo Ctor(Type type, params Type[] parameters) =>
        type.GetConstructor(All & ~BindingFlags.Static, parameters) ?? throw new MissingMethodException(type.Name, ".ctor");

    /// <summary>A delegate bound to <paramref name="instance"/>, for an instance-only patch of a member without a method group.</summary>
    public static TDelegate On<TDelegate>(object instance, MethodInfo method) where TDelegate : Delegate =>
        (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), instance, method);

    /// <summary>Asserts that <paramref name="method"/> is not trapped and that registering on it fails naming it.</summary>
    public static TrapException AssertNotTrappable(MethodBase method, Delegate replacement = null)
    {
        Assert.False(Trap.IsTrapped(method), method + " should not be trapped");
        var e = Assert.Throws<TrapException>(() => Trap.Patch(method, replacement ?? (Action)(() => { })));
        Assert.Contains(method.Name, e.Message);
        return e;
    }
}
