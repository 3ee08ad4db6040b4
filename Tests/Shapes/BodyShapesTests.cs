extern alias Optimized;
using System.Reflection;
using Fixtures;
using OptBody = Optimized::Fixtures.BodyShapes;

namespace Trapweave.Tests.Shapes;

public class BodyShapesTests
{
    unsafe delegate int ReadPointerFn(int* p, int index);
    unsafe delegate void WritePointerFn(int* p, int value);
    unsafe delegate byte* AdvanceFn(byte* p, int n);
    unsafe delegate int CallFunctionPointerFn(delegate*<int, int> f, int x);

    [Fact]
    public void Try_catch_finally_and_filter_bodies_are_patchable()
    {
        using (Trap.Patch<Func<int, string>>(BodyShapes.TryCatchFinally, _ => "patched"))
        using (Trap.Patch<Func<string, int>>(BodyShapes.TryAtStart, _ => 7))
        using (Trap.Patch<Func<int, int>>(BodyShapes.Nested, _ => 8))
        {
            Assert.Equal("patched", BodyShapes.TryCatchFinally(0));
            Assert.Equal(7, BodyShapes.TryAtStart("x"));
            Assert.Equal(8, BodyShapes.Nested(-1));
        }
        Assert.Equal("try;caught;finally;", BodyShapes.TryCatchFinally(0));
        Assert.Equal("try;ok;finally;", BodyShapes.TryCatchFinally(1));
        Assert.Equal(-1, BodyShapes.TryAtStart("x"));
        Assert.Equal(0, BodyShapes.Nested(-1));
    }

    [Fact]
    public void Bodies_ending_inside_a_catch_or_finally_are_patchable()
    {
        var trail = new List<string>();
        using (Trap.Patch<Func<string, int>>(BodyShapes.EndsInCatch, _ => 1))
        using (Trap.Patch<Action<List<string>>>(BodyShapes.EndsInFinally, t => t.Add("patched")))
        using (Trap.Patch<Action<string>>(BodyShapes.EndsInThrow, _ => { }))
        using (Trap.Patch<Func<string, int>>(OptBody.EndsInCatch, _ => 2))
        {
            Assert.Equal(1, BodyShapes.EndsInCatch("x"));
            Assert.Equal(2, OptBody.EndsInCatch("x"));
            BodyShapes.EndsInFinally(trail);
            BodyShapes.EndsInThrow("not thrown");
        }
        Assert.Equal(new[] { "patched" }, trail);
        Assert.Throws<FormatException>(() => BodyShapes.EndsInCatch("x"));
        Assert.Throws<FormatException>(() => OptBody.EndsInCatch("x"));
        Assert.Equal(5, BodyShapes.EndsInCatch("5"));
        BodyShapes.EndsInFinally(trail);
        Assert.Equal(new[] { "patched", "body", "finally" }, trail);
        Assert.Equal("thrown", Assert.Throws<InvalidOperationException>(() => BodyShapes.EndsInThrow("thrown")).Message);
    }

    [Fact]
    public void An_exception_from_a_replacement_reaches_the_caller_unchanged()
    {
        var boom = new ArgumentException("boom");
        using (Trap.Patch<Func<string, int>>(BodyShapes.EndsInCatch, _ => throw boom))
            Assert.Same(boom, Assert.Throws<ArgumentException>(() => BodyShapes.EndsInCatch("1")));
    }

    [Theory]
    [InlineData("DoWhileAtStart")]
    [InlineData("GotoStart")]
    public void Optimized_loops_branch_back_to_the_first_body_instruction_not_to_the_prologue(string name)
    {
        var method = typeof(OptBody).GetMethod(name)!;
        var il = new WovenIl(method);
        Assert.Contains(il.BodyStart, il.BranchTargets);
        Assert.Empty(il.PlacementProblems());
    }

    [Fact]
    public void Loops_at_the_start_run_fully_unpatched_and_are_patchable()
    {
        using (Trap.Patch<Func<int, int>>(OptBody.DoWhileAtStart, n => -n))
        using (Trap.Patch<Func<int, int>>(OptBody.GotoStart, n => -n))
        using (Trap.Patch<Func<int, int>>(BodyShapes.WhileAtStart, n => -n))
        using (Trap.Patch<Func<int, int>>(BodyShapes.DoWhileAtStart, n => -n))
        {
            Assert.Equal(-10, OptBody.DoWhileAtStart(10));
            Assert.Equal(-1, OptBody.GotoStart(1));
            Assert.Equal(-100, BodyShapes.WhileAtStart(100));
            Assert.Equal(-10, BodyShapes.DoWhileAtStart(10));
        }
        Assert.Equal(-2, OptBody.DoWhileAtStart(10));
        Assert.Equal(10, OptBody.GotoStart(1));
        Assert.Equal(6, BodyShapes.WhileAtStart(100));
        Assert.Equal(10, BodyShapes.GotoStart(1));
    }

    [Fact]
    public void Recursion_goes_through_the_patch_for_calls_not_made_by_the_replacement()
    {
        using (Trap.Patch<Func<int, int>>(BodyShapes.MutualA, _ => 42))
            Assert.Equal(10 + 42, BodyShapes.MutualB(2));
        Assert.Equal(10 + 1 + 10, BodyShapes.MutualB(3));

        using (Trap.Patch<Func<int, int>>(BodyShapes.Recursive, n => 100 + BodyShapes.Recursive(n - 1)))
            Assert.Equal(100 + 2 + 1, BodyShapes.Recursive(3));
        Assert.Equal(6, BodyShapes.Recursive(3));
    }

    [Fact]
    public void Stackalloc_and_skip_locals_init_bodies_are_patchable()
    {
        Assert.False(typeof(BodyShapes).GetMethod("SkipInit")!.GetMethodBody()!.InitLocals);
        using (Trap.Patch<Func<int, int>>(BodyShapes.StackAlloc, _ => -1))
        using (Trap.Patch<Func<int, int>>(BodyShapes.StackAllocPointer, _ => -2))
        using (Trap.Patch<Func<int, int>>(BodyShapes.SkipInit, _ => -3))
        using (Trap.Patch<Func<int, int>>(OptBody.SkipInit, _ => -4))
        {
            Assert.Equal(-1, BodyShapes.StackAlloc(4));
            Assert.Equal(-2, BodyShapes.StackAllocPointer(4));
            Assert.Equal(-3, BodyShapes.SkipInit(4));
            Assert.Equal(-4, OptBody.SkipInit(4));
        }
        Assert.Equal(6, BodyShapes.StackAlloc(4));
        Assert.Equal(6, BodyShapes.StackAllocPointer(4));
        Assert.Equal(4, BodyShapes.SkipInit(4));
        Assert.Equal(4, OptBody.SkipInit(4));
    }

    [Fact]
    public unsafe void Pointer_and_function_pointer_signatures_are_patchable()
    {
        var values = stackalloc int[] { 1, 2, 3 };
        var bytes = stackalloc byte[4];
        using (Trap.Patch<ReadPointerFn>(BodyShapes.ReadPointer, (p, i) => p[0] * 100))
        using (Trap.Patch<WritePointerFn>(BodyShapes.WritePointer, (p, v) => *p = -v))
        using (Trap.Patch<AdvanceFn>(BodyShapes.Advance, (p, n) => p))
        using (Trap.Patch<CallFunctionPointerFn>(BodyShapes.CallFunctionPointer, (f, x) => f(x) + 1))
        using (Trap.Patch<Func<int[], int>>(BodyShapes.Fixed, _ => 0))
        {
            Assert.Equal(100, BodyShapes.ReadPointer(values, 2));
            BodyShapes.WritePointer(values, 9);
            Assert.Equal(-9, values[0]);
            Assert.True(bytes == BodyShapes.Advance(bytes, 3));
            Assert.Equal(10, BodyShapes.CallFunctionPointer(&BodyShapes.Square, 3));
            Assert.Equal(0, BodyShapes.Fixed(new[] { 1, 2 }));
        }
        Assert.Equal(3, BodyShapes.ReadPointer(values, 2));
        Assert.True(bytes + 3 == BodyShapes.Advance(bytes, 3));
        Assert.Equal(9, BodyShapes.CallFunctionPointer(&BodyShapes.Square, 3));
        Assert.Equal(3, BodyShapes.Fixed(new[] { 1, 2 }));
    }

    [Fact]
    public void Switch_lock_using_and_other_bodies_are_patchable()
    {
        var log = new List<string>();
        using (Trap.Patch<Func<int, string>>(BodyShapes.Switch, _ => "patched"))
        using (Trap.Patch<Func<object, List<string>, int>>(BodyShapes.UsingAndLock, (_, _) => -1))
        using (Trap.Patch<Action<List<int>>>(BodyShapes.VoidLoop, s => s.Add(-1)))
        using (Trap.Patch<Func<int, object>>(BodyShapes.Boxes, _ => "boxed"))
        using (Trap.Patch<Func<int, (int, string)>>(BodyShapes.Tuple, _ => (0, "zero")))
        using (Trap.Patch<Func<bool, int?>>(BodyShapes.NullableResult, _ => 5))
        using (Trap.Patch<Func<int, int>>(BodyShapes.LocalFunctionUser, _ => 0))
        using (Trap.Patch<Func<int, Func<int, int>>>(BodyShapes.LambdaMaker, _ => x => -x))
        using (Trap.Patch<Func<Func<string>, string>>(BodyShapes.Generic<string>, _ => "generic"))
        using (Trap.Patch<Func<int, int, int, int, int, int, int, int, int, int, int>>(BodyShapes.ManyArgs, (a, b, c, d, e, f, g, h, i, j) => j))
        {
            Assert.Equal("patched", BodyShapes.Switch(1));
            Assert.Equal(-1, BodyShapes.UsingAndLock(new object(), log));
            var sink = new List<int>();
            BodyShapes.VoidLoop(sink);
            Assert.Equal(new[] { -1 }, sink);
            Assert.Equal("boxed", BodyShapes.Boxes(1));
            Assert.Equal((0, "zero"), BodyShapes.Tuple(1));
            Assert.Equal(5, BodyShapes.NullableResult(false));
            Assert.Equal(0, BodyShapes.LocalFunctionUser(3));
            Assert.Equal(-2, BodyShapes.LambdaMaker(1)(2));
            Assert.Equal("generic", BodyShapes.Generic(() => "real"));
            Assert.Equal(10, BodyShapes.ManyArgs(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        }
        Assert.Empty(log);
        Assert.Equal("one", BodyShapes.Switch(1));
        Assert.Equal(1, BodyShapes.UsingAndLock(new object(), log));
        Assert.Equal(new[] { "inside", "disposed" }, log);
        Assert.Equal(7, BodyShapes.LocalFunctionUser(3));
        Assert.Equal(3, BodyShapes.LambdaMaker(1)(2));
        Assert.Equal(55, BodyShapes.ManyArgs(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
    }

    [Fact]
    public void Dynamic_bodies_are_patchable()
    {
        using (Trap.Patch(typeof(BodyShapes).GetMethod("Dynamic")!, (Func<object, object>)(_ => "dyn")))
            Assert.Equal("dyn", (string)BodyShapes.Dynamic(1));
        Assert.Equal(2, (int)BodyShapes.Dynamic(1));
    }

    [Fact]
    public void Lambdas_and_local_functions_inside_woven_methods_are_not_trapped()
    {
        var local = typeof(BodyShapes).GetMethods(BindingFlags.NonPublic | BindingFlags.Static).Single(m => m.Name.Contains("Twice"));
        Bind.AssertNotTrappable(local, (Func<int, int>)(x => x));
        var lambda = BodyShapes.LambdaMaker(1).Method;
        Bind.AssertNotTrappable(lambda, (Func<int, int>)(x => x));
    }
}

public class InliningAndSpecialBodiesTests
{
    unsafe delegate delegate*<int, int> SquarePointerFn();

    static int Negate(int x) => -x;

    [Fact]
    public void Aggressively_inlined_methods_stay_interceptable_in_callers_compiled_before_the_patch()
    {
        var sum = 0;
        for (var i = 0; i < 200; i++) sum += BodyShapes.CallsInlined(1);
        Assert.Equal(800, sum);
        using (Trap.Patch<Func<int, int>>(BodyShapes.Inlined, x => x * 100))
            Assert.Equal(200, BodyShapes.CallsInlined(1));
        Assert.Equal(4, BodyShapes.CallsInlined(1));
    }

    [Fact]
    public void Synchronized_methods_are_patchable()
    {
        using (Trap.Patch<Func<int, int>>(BodyShapes.Synchronized, x => -x))
            Assert.Equal(-2, BodyShapes.Synchronized(2));
        Assert.Equal(6, BodyShapes.Synchronized(2));
    }

    [Fact]
    public unsafe void Function_pointer_results_are_patchable()
    {
        using (Trap.Patch<SquarePointerFn>(BodyShapes.SquarePointer, () => &Negate))
            Assert.Equal(-3, BodyShapes.SquarePointer()(3));
        Assert.Equal(9, BodyShapes.SquarePointer()(3));
    }

    [Fact]
    public void Varargs_and_TypedReference_methods_are_never_trapped()
    {
        var varargs = Bind.AssertNotTrappable(typeof(BodyShapes).GetMethod("VarArgs")!);
        Assert.Contains("varargs", varargs.Message);
        var typed = Bind.AssertNotTrappable(typeof(BodyShapes).GetMethod("Typed")!);
        Assert.Contains("TypedReference", typed.Message);
    }
}
