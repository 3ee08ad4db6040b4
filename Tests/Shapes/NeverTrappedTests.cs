using System.Reflection;
using System.Runtime.CompilerServices;
using Fixtures;

namespace Trapweave.Tests.Shapes;

public class NeverTrappedTests
{
    const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void Static_constructors_are_not_trapped()
    {
        var e = Bind.AssertNotTrappable(typeof(NeverTrapped).TypeInitializer!);
        Assert.Contains("static constructor", e.Message);
    }

    [Fact]
    public void Finalizers_are_not_trapped()
    {
        var e = Bind.AssertNotTrappable(typeof(NeverTrapped).GetMethod("Finalize", All)!);
        Assert.Contains("finalizer", e.Message);
    }

    [Fact]
    public void Lambdas_local_functions_and_state_machines_are_not_trapped()
    {
        var lambda = new NeverTrapped().Lambda().Method;
        var local = typeof(NeverTrapped).GetMethods(All).Single(m => m.Name.Contains("Local") && m.Name.StartsWith('<'));
        var iterator = typeof(NeverTrapped).GetMethod("Iterator")!.GetCustomAttribute<IteratorStateMachineAttribute>()!.StateMachineType;
        var async = typeof(NeverTrapped).GetMethod("AsyncMethod")!.GetCustomAttribute<AsyncStateMachineAttribute>()!.StateMachineType;
        foreach (var m in new MethodBase[]
                 {
                     lambda, local,
                     iterator.GetMethod("MoveNext", All)!, iterator.GetConstructors(All)[0],
                     async.GetMethod("MoveNext", All)!,
                 })
        {
            var e = Bind.AssertNotTrappable(m);
            Assert.Contains("compiler-generated", e.Message);
        }
        Assert.True(Trap.IsTrapped(typeof(NeverTrapped).GetMethod("UsesLocalFunction")!));
        Assert.True(Trap.IsTrapped(typeof(NeverTrapped).GetMethod("Iterator")!));
    }

    [Fact]
    public void A_lambda_passed_as_the_target_is_refused_naming_it()
    {
        var e = Assert.Throws<TrapException>(() => Trap.Patch<Func<int>>(() => 1, () => 2));
        Assert.Contains("lambda", e.Message);
    }

    [Fact]
    public void Abstract_methods_and_interface_members_without_body_are_not_trapped()
    {
        Bind.AssertNotTrappable(typeof(AbstractShape).GetMethod("Sides")!);
        Bind.AssertNotTrappable(typeof(IOnlyAbstract).GetMethod("Method")!);
        Assert.True(Trap.IsTrapped(typeof(AbstractShape).GetMethod("Concrete")!));
    }

    [Fact]
    public void Extern_P_Invoke_and_runtime_implemented_methods_are_not_trapped()
    {
        var pinvoke = Bind.AssertNotTrappable(typeof(NeverTrapped).GetMethod("GetPid")!);
        Assert.Contains("no IL body", pinvoke.Message);
        Bind.AssertNotTrappable(typeof(NeverTrapped.Callback).GetMethod("Invoke")!);
    }

    [Fact]
    public void NoTrap_on_methods_constructors_properties_and_events_is_honoured()
    {
        var ev = typeof(NeverTrapped).GetEvent("OptedEvent")!;
        var prop = typeof(NeverTrapped).GetProperty("OptedProperty")!;
        foreach (var m in new MethodBase[]
                 {
                     typeof(NeverTrapped).GetMethod("Opted")!, typeof(NeverTrapped).GetConstructor(new[] { typeof(int) })!,
                     prop.GetMethod!, prop.SetMethod!, ev.AddMethod!, ev.RemoveMethod!,
                 })
        {
            var e = Bind.AssertNotTrappable(m);
            Assert.Contains("NoTrap", e.Message);
        }
        Assert.True(Trap.IsTrapped(typeof(NeverTrapped).GetMethod("Trapped")!));
        Assert.True(Trap.IsTrapped(typeof(NeverTrapped).GetConstructor(Type.EmptyTypes)!));
    }

    [Fact]
    public void NoTrap_on_a_type_covers_its_members_and_nested_types()
    {
        foreach (var m in new MethodBase[]
                 {
                     typeof(OptedOutType).GetMethod("Method")!, typeof(OptedOutType).GetProperty("Property")!.GetMethod!,
                     typeof(OptedOutType).GetConstructor(Type.EmptyTypes)!, typeof(OptedOutType.NestedInOptedOut).GetMethod("Method")!,
                     typeof(OptedOutStruct).GetMethod("Method")!,
                 })
        {
            var e = Bind.AssertNotTrappable(m);
            Assert.Contains("NoTrap", e.Message);
        }
    }

    [Fact]
    public void Members_excluded_by_the_weaver_configuration_are_not_trapped()
    {
        foreach (var m in new MethodBase[]
                 {
                     typeof(ExcludedService).GetMethod("Method")!, typeof(ExcludedService).GetMethod("Static")!,
                     typeof(ExcludedService).GetProperty("Property")!.GetMethod!, typeof(ExcludedService).GetConstructor(Type.EmptyTypes)!,
                     typeof(ExcludedHelpers).GetMethod("Help")!,
                 })
        {
            var e = Bind.AssertNotTrappable(m);
            Assert.Contains("Include/Exclude", e.Message);
        }
        Assert.True(Trap.IsTrapped(typeof(NotExcludedNeighbour).GetMethod("Method")!));
        Assert.Equal(1, new ExcludedService().Method());
    }
}

public class AssemblyNoTrapTests
{
    [Fact]
    public void NoTrap_on_an_assembly_leaves_all_of_it_untrapped()
    {
        var assembly = typeof(Fixtures.AssemblyNoTrap.Service).Assembly;
        Assert.Null(assembly.GetType("<Trapweave>TrapTable"));
        foreach (var m in new MethodBase[]
                 {
                     typeof(Fixtures.AssemblyNoTrap.Service).GetMethod("Method")!, typeof(Fixtures.AssemblyNoTrap.Service).GetMethod("Static")!,
                     typeof(Fixtures.AssemblyNoTrap.Service).GetConstructor(Type.EmptyTypes)!,
                 })
        {
            var e = Bind.AssertNotTrappable(m);
            Assert.Contains("NoTrap", e.Message);
        }
        Assert.Equal(1, new Fixtures.AssemblyNoTrap.Service().Method());
    }
}
