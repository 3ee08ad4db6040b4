using System.Reflection;
using System.Runtime.CompilerServices;
using Fixtures.Runtime;

namespace Trapweave.Tests.Runtime;

public class InterceptionTests
{
    static MethodInfo Method(string name) => typeof(Interception).GetMethod(name);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_walk_below_a_registration_gone_from_the_flow_s_view_still_finds_the_older_ones(bool global)
    {
        // The soak found it: a handler's own call to the original is handed to the registration below
        // its own; when its registration was disposed meanwhile by another thread (gone from the sets
        // before the change is announced), the walk could not place it and every older registration
        // missed the call. Here the walk is asked directly for a registration disposed before it.
        var chained = Method(nameof(Interception.Chained));
        using var oldest = global ? Trap.Global.Record(chained) : Trap.Record(chained);
        var middle = (Internal.Registration)(global ? Trap.Global.Intercept(chained, _ => { }) : Trap.Intercept(chained, _ => { }));
        middle.Dispose();
        var target = Internal.TrapTarget.For(chained);
        var next = TrapDispatch.Find(Internal.DispatchThread.Current, target.Slot, target.HandlerHandle, middle);
        Assert.NotNull(next);
        Assert.Same(oldest.Registration, ((Internal.Binding)next!.Target!).Registration);
        Assert.Equal(20, Interception.Chained(2));
        Assert.Single(oldest.Calls.Where(c => Equals(c.Arguments[0], 2)));
    }

    [Fact]
    public void An_enum_argument_and_result_are_seen_and_checked_as_the_enum()
    {
        var shape = Trapweave.Internal.TrapTarget.For(Method(nameof(Interception.Next)));
        Assert.Equal(new[] { typeof(int), typeof(bool).MakeByRefType() }, shape.HandlerParameters);
        Assert.Equal(typeof(int), shape.HandlerReturn);

        object seenArgument = null, seenResult = null;
        using (Trap.Intercept(Method(nameof(Interception.Next)),
                   before: call => seenArgument = call.Arguments[0],
                   after: call =>
                   {
                       seenResult = call.Result;
                       call.Result = DayOfWeek.Friday;
                   }))
            Assert.Equal(DayOfWeek.Friday, Interception.Next(DayOfWeek.Monday));
        Assert.Equal(DayOfWeek.Monday, Assert.IsType<DayOfWeek>(seenArgument));
        Assert.Equal(DayOfWeek.Tuesday, Assert.IsType<DayOfWeek>(seenResult));

        using (Trap.Patch<Func<DayOfWeek, DayOfWeek>>(Interception.Next, day => day))
            Assert.Equal(DayOfWeek.Sunday, Interception.Next(DayOfWeek.Sunday));

        // A result that is no DayOfWeek is refused, though the handler passes the enum as an int.
        using (Trap.Intercept(Method(nameof(Interception.Next)), before: null, after: call => call.Result = 5))
            Assert.Contains("is not a DayOfWeek", Assert.Throws<TrapException>(() => Interception.Next(DayOfWeek.Monday)).Message);
    }

    [Fact]
    public void An_interceptor_sees_arguments_before_and_the_result_after()
    {
        var log = new List<string>();
        using (Trap.Intercept(Method(nameof(Interception.Join)),
                   before: call => log.Add("before " + string.Join(",", call.Arguments)),
                   after: call => log.Add("after " + call.Result)))
        {
            Assert.Equal("a+b", Interception.Join("a", "b"));
        }
        Assert.Equal(new[] { "before a,b", "after a+b" }, log);
    }

    [Fact]
    public void An_interceptor_can_replace_arguments_result_and_exception()
    {
        using (Trap.Intercept(Method(nameof(Interception.Join)), before: call => call.Arguments[1] = "z"))
            Assert.Equal("a+z", Interception.Join("a", "b"));
        using (Trap.Intercept(Method(nameof(Interception.Join)), before: null, after: call => call.Result = call.Result + "!"))
            Assert.Equal("a+b!", Interception.Join("a", "b"));
        using (Trap.Intercept(Method(nameof(Interception.Divide)), before: null, after: call =>
               {
                   if (call.Exception is DivideByZeroException) call.Result = -1;
               }))
        {
            Assert.Equal(-1, Interception.Divide(1, 0));
            Assert.Equal(2, Interception.Divide(4, 2));
        }
        var replaced = new InvalidOperationException("replaced");
        using (Trap.Intercept(Method(nameof(Interception.Divide)), before: null, after: call => call.Exception = replaced))
            Assert.Same(replaced, Assert.Throws<InvalidOperationException>(() => Interception.Divide(4, 2)));
    }

    [Fact]
    public void Setting_a_result_before_skips_the_original()
    {
        var ran = false;
        using (Trap.Intercept(Method(nameof(Interception.Fail)), before: call => call.Return(42), after: _ => ran = true))
            Assert.Equal(42, Interception.Fail("not thrown"));
        Assert.True(ran);
    }

    [Fact]
    public void Out_and_ref_arguments_are_written_back()
    {
        using (Trap.Intercept(Method(nameof(Interception.Split)), before: null, after: call => call.Arguments[2] = "changed"))
        {
            Interception.Split("head tail", out var head, out var tail);
            Assert.Equal("head", head);
            Assert.Equal("changed", tail);
        }
        var counter = 1;
        using (Trap.Intercept(Method(nameof(Interception.Bump)), before: call => call.Arguments[0] = 10))
            Interception.Bump(ref counter);
        Assert.Equal(11, counter);
    }

    [Fact]
    public void Ref_struct_arguments_are_unavailable_to_interceptors_but_the_call_still_works()
    {
        object seen = null;
        using (Trap.Intercept(Method(nameof(Interception.Length)), before: call => seen = call.Arguments[0]))
            Assert.Equal(3, Interception.Length("abc".AsSpan()));
        Assert.Same(Invocation.Unavailable, seen);
    }

    [Fact]
    public void An_exception_from_a_replacement_reaches_the_caller_unchanged()
    {
        var boom = new FormatException("from replacement");
        using (Trap.Patch<Func<int, int, int>>(Interception.Divide, (a, b) => throw boom))
        {
            var thrown = Assert.Throws<FormatException>(() => Interception.Divide(1, 1));
            Assert.Same(boom, thrown);
        }
        using (Trap.Intercept(Method(nameof(Interception.Divide)), before: _ => throw boom))
            Assert.Same(boom, Assert.Throws<FormatException>(() => Interception.Divide(1, 1)));
    }

    [Fact]
    public void An_exception_from_the_original_keeps_its_type_and_stack_through_an_interceptor()
    {
        using (Trap.Intercept(Method(nameof(Interception.Fail)), before: null, after: _ => { }))
        {
            var thrown = Assert.Throws<InvalidOperationException>(() => Interception.Fail("why"));
            Assert.Equal("why", thrown.Message);
            Assert.Contains(nameof(Interception.Fail), thrown.StackTrace);
        }
    }

    [Fact]
    public async Task An_async_method_is_intercepted_at_its_kick_off()
    {
        using (Trap.Patch<Func<int, Task<int>>>(Interception.LoadAsync, id => Task.FromResult(-id)))
            Assert.Equal(-3, await Interception.LoadAsync(3));
        Assert.Equal(6, await Interception.LoadAsync(3));
    }

    [Fact]
    public void A_recorder_counts_calls_with_arguments_results_and_exceptions()
    {
        using var recorder = Trap.Record<Func<int, int, int>>(Interception.Divide);
        Assert.Equal(3, Interception.Divide(6, 2));
        Assert.Throws<DivideByZeroException>(() => Interception.Divide(1, 0));
        Assert.Equal(2, recorder.Count);
        var calls = recorder.Calls;
        Assert.Equal(new object[] { 6, 2 }, calls[0].Arguments);
        Assert.Equal(3, calls[0].Result);
        Assert.Null(calls[0].Exception);
        Assert.IsType<DivideByZeroException>(calls[1].Exception);
        recorder.Dispose();
        Interception.Divide(1, 1);
        Assert.Equal(2, recorder.Count);
    }

    [Fact]
    public void A_recorder_sees_the_results_of_registrations_below_it()
    {
        using var patch = Trap.Patch<Func<int, int, int>>(Interception.Divide, (a, b) => 100);
        using var recorder = Trap.Record<Func<int, int, int>>(Interception.Divide);
        Assert.Equal(100, Interception.Divide(1, 1));
        Assert.Equal(100, recorder.Calls.Single().Result);
    }

    [Fact]
    public void A_recorder_bound_to_an_instance_records_that_instance_only()
    {
        var a = new Ticker();
        var b = new Ticker();
        using var recorder = Trap.Record<Func<int>>(a.Next);
        a.Next();
        b.Next();
        a.Next();
        Assert.Equal(2, recorder.Count);
        Assert.All(recorder.Calls, c => Assert.Same(a, c.Instance));
        Assert.Equal(new object[] { 1, 2 }, recorder.Calls.Select(c => c.Result));
    }

    [Fact]
    public void An_instance_patch_replaces_calls_on_that_instance_only()
    {
        var a = new Ticker();
        var b = new Ticker();
        using (Trap.Patch<Func<int>>(a.Next, () => -1))
        {
            Assert.Equal(-1, a.Next());
            Assert.Equal(1, b.Next());
        }
        Assert.Equal(1, a.Next());
    }

    [Fact]
    public void An_open_instance_patch_receives_the_receiver()
    {
        var a = new Ticker();
        using (Trap.Patch(typeof(Ticker).GetMethod(nameof(Ticker.Next)), new Func<Ticker, int>(c => c == a ? 100 : 200)))
        {
            Assert.Equal(100, a.Next());
            Assert.Equal(200, new Ticker().Next());
        }
    }

    [Fact]
    public void Registering_on_something_not_trapped_names_the_method_and_the_fix()
    {
        // Not woven, but patched natively: the test assembly's own call is intercepted (with the
        // fallback off it is refused with the fix: NotInterceptableWithoutNativeFallbackTests).
        using (Trap.Patch<Func<string, string>>(System.IO.Path.GetFileName, s => "patched " + s))
            Assert.Equal("patched a/b", FileNameOf("a/b"));
        Assert.Equal("b", FileNameOf("a/b"));

        var lambda = Assert.Throws<TrapException>(() => Trap.Patch<Func<int>>(() => 1, () => 2));
        Assert.Contains("lambda", lambda.Message);

        Assert.Throws<TrapException>(() => Trap.Record(typeof(IStock).GetMethod(nameof(IStock.Count))));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static string FileNameOf(string path) => System.IO.Path.GetFileName(path);

    [Fact]
    public void A_replacement_that_does_not_fit_fails_at_registration()
    {
        var wrong = Assert.Throws<TrapException>(() => Trap.Patch(Method(nameof(Interception.Divide)), new Func<int, string>(x => "")));
        Assert.Contains("Divide", wrong.Message);
        Assert.Contains("Int32 (Int32, Int32)", wrong.Message);
        Assert.Throws<TrapException>(() => Trap.Patch(Method(nameof(Interception.Divide)), new Func<int, int, long>((a, b) => 1)));
    }

    [Fact]
    public void Interceptors_on_constructors_cannot_have_an_after_hook()
    {
        var ctor = typeof(Basket).GetConstructors().Single();
        var e = Assert.Throws<TrapException>(() => Trap.Intercept(ctor, before: null, after: _ => { }));
        Assert.Contains("constructor", e.Message);
        var recorder = Trap.Record(ctor);
        _ = new Basket("x");
        Assert.Equal("x", recorder.Calls.Single().Arguments[0]);
        recorder.Dispose();
    }
}

/// <summary>With the native fallback off (process-wide, so not in parallel), a member nobody wove or redirects is refused with the fix.</summary>
[Collection(NotInParallel.Name)]
public class NotInterceptableWithoutNativeFallbackTests
{
    [Fact]
    public void Registering_on_something_not_trapped_names_the_method_and_the_fix()
    {
        using var off = new Trapweave.Tests.Native.NativeFallbackOff();
        var notWoven = Assert.Throws<TrapException>(() => Trap.Patch<Func<string, string>>(System.IO.Path.GetFileName, s => s));
        Assert.Contains("GetFileName", notWoven.Message);
        Assert.Contains("FodyWeavers.xml", notWoven.Message);
        Assert.Contains("Redirect", notWoven.Message);
    }
}
