using System.Reflection;
using Fixtures;
using Fixtures.Runtime;
using Trapweave.Internal;

namespace Trapweave.Tests.Shapes;

/// <summary>
/// Handler shapes are shared across a module (docs/ARCHITECTURE.md, "The woven shape"): methods of
/// different classes whose signatures are alike once reference types are read as <c>object</c> use
/// one handler type and one dispatcher, while every instantiation of generic code keeps a handler
/// type of its own, so patches stay per method and per instantiation.
/// </summary>
public class SharedHandlerShapesTests
{
    static TrapTarget Target(Type type, string name) => TrapTarget.For(Bind.Method(type, name));

    [Fact]
    public void Methods_of_two_classes_with_equal_shapes_share_one_handler_type()
    {
        // (receiver, string) -> int, on an interface implementation and on a virtual method of an unrelated class.
        var parse = TrapTarget.For(typeof(IntParser).GetMethod(nameof(IntParser.Parse))!);
        var count = TrapTarget.For(typeof(Warehouse).GetMethod(nameof(Warehouse.Count))!);

        Assert.Same(parse.HandlerType, count.HandlerType);
        Assert.Equal(new[] { typeof(object), typeof(object), typeof(bool).MakeByRefType() }, parse.HandlerParameters);
        Assert.Equal(typeof(int), parse.HandlerReturn);
        Assert.NotEqual(parse.Slot, count.Slot);
    }

    [Fact]
    public void A_patch_on_one_of_them_leaves_the_other_alone()
    {
        var parser = new IntParser();
        var warehouse = new Warehouse("w");
        using (Trap.Patch<Func<string, int>>(parser.Parse, text => -1))
        {
            Assert.Equal(-1, parser.Parse("5"));
            Assert.Equal(10, warehouse.Count("sku"));
        }
        using (Trap.Patch<Func<string, int>>(warehouse.Count, sku => sku.Length))
        {
            Assert.Equal(3, warehouse.Count("sku"));
            Assert.Equal(5, parser.Parse("5"));
        }
    }

    [Fact]
    public void Generic_methods_of_two_classes_share_a_handler_definition_but_each_instantiation_has_its_own_type()
    {
        // (receiver, T) -> T in Repo<T> and in Outer<T>.Plain (generic through its outer type).
        var echoStrings = Target(typeof(Repo<string>), nameof(Repo<string>.Echo));
        var keepStrings = Target(typeof(Outer<string>.Plain), nameof(Outer<string>.Plain.Keep));
        var echoInts = Target(typeof(Repo<int>), nameof(Repo<int>.Echo));

        Assert.Same(echoStrings.HandlerType, keepStrings.HandlerType);
        Assert.NotEqual(echoStrings.HandlerType, echoInts.HandlerType);
        Assert.Same(echoStrings.HandlerType.GetGenericTypeDefinition(), echoInts.HandlerType.GetGenericTypeDefinition());
        Assert.Equal(new[] { typeof(string) }, echoStrings.HandlerType.GetGenericArguments());
        Assert.Equal(new[] { typeof(int) }, echoInts.HandlerType.GetGenericArguments());
    }

    [Fact]
    public void A_patch_on_one_instantiation_reaches_neither_the_other_instantiations_nor_the_other_class()
    {
        var repo = new Repo<string>();
        var ints = new Repo<int>();
        var plain = new Outer<string>.Plain();
        using (Trap.Patch<Func<string, string>>(repo.Echo, item => "patched " + item))
        {
            Assert.Equal("patched a", repo.Echo("a"));
            Assert.Equal("a", plain.Keep("a"));
            Assert.Equal(7, ints.Echo(7));
        }
        Assert.Equal("a", repo.Echo("a"));
    }

    [Fact]
    public void Constraints_a_shape_does_not_need_do_not_split_it()
    {
        // Constrained<T> (T : class, new()) and Building.Shelf<T> (unconstrained): () -> T either way,
        // and T is no generic argument in it, so its constraints need not be copied.
        var make = Target(typeof(Constrained<Order>), nameof(Constrained<Order>.Make));
        var take = Target(typeof(Building.Shelf<Order>), nameof(Building.Shelf<Order>.Take));
        Assert.Same(make.HandlerType, take.HandlerType);

        // ValueBox<T> takes itself by reference: its shape names ValueBox<T0>, whose constraints it keeps.
        var greater = Target(typeof(ValueBox<int>), nameof(ValueBox<int>.GreaterThan));
        var parameter = greater.HandlerType.GetGenericTypeDefinition().GetGenericArguments()[0];
        Assert.Equal(GenericParameterAttributes.NotNullableValueTypeConstraint | GenericParameterAttributes.DefaultConstructorConstraint,
            parameter.GenericParameterAttributes & GenericParameterAttributes.SpecialConstraintMask);
        Assert.Contains(parameter.GetGenericParameterConstraints(), c => c.IsGenericType && c.GetGenericTypeDefinition() == typeof(IComparable<>));
        Assert.Equal(typeof(ValueBox<int>).MakeByRefType(), greater.HandlerParameters[0]);
    }
}
