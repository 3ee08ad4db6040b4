extern alias Optimized;
using System.Reflection;
using System.Runtime.CompilerServices;
using Fixtures;

namespace Trapweave.Tests.Shapes;

public class AsyncShapesTests
{
    [Fact]
    public async Task An_async_method_is_replaced_at_its_kick_off()
    {
        var svc = new AsyncService();
        using (Trap.Patch<Func<int, Task<int>>>(svc.GetAsync, x => Task.FromResult(-x)))
        {
            Assert.Equal(-4, await svc.GetAsync(4));
            Assert.Equal(0, svc.Calls);
        }
        Assert.Equal(8, await svc.GetAsync(4));
        Assert.Equal(1, svc.Calls);
    }

    [Fact]
    public async Task A_patch_is_seen_after_awaits_in_the_flow_that_registered_it()
    {
        var svc = new AsyncService();
        using (Trap.Patch<Func<int, Task<int>>>(svc.GetAsync, x => Task.FromResult(-x)))
        {
            await Task.Yield();
            Assert.Equal(-1, await Task.Run(() => svc.GetAsync(1)));
        }
    }

    [Fact]
    public async Task Task_ValueTask_static_generic_and_void_async_methods_are_patchable()
    {
        var svc = new AsyncService();
        var log = new List<string>();
        using (Trap.Patch<Func<List<string>, Task>>(svc.DoAsync, l => { l.Add("patched"); return Task.CompletedTask; }))
        using (Trap.Patch<Func<ValueTask<string>>>(svc.NameAsync, () => new ValueTask<string>("fake")))
        using (Trap.Patch<Func<string, Task<string>>>(AsyncService.StaticAsync, s => Task.FromResult(s + "?")))
        using (Trap.Patch<Func<int, Task<int>>>(svc.EchoAsync<int>, v => Task.FromResult(v + 1)))
        using (Trap.Patch<Action<List<string>>>(svc.FireAndForget, l => l.Add("not fired")))
        {
            await svc.DoAsync(log);
            Assert.Equal("fake", await svc.NameAsync());
            Assert.Equal("a?", await AsyncService.StaticAsync("a"));
            Assert.Equal(2, await svc.EchoAsync(1));
            Assert.Equal("s", await svc.EchoAsync("s"));
            svc.FireAndForget(log);
        }
        Assert.Equal(new[] { "patched", "not fired" }, log);
        await svc.DoAsync(log);
        Assert.Equal("real", await svc.NameAsync());
        Assert.Equal("a!", await AsyncService.StaticAsync("a"));
        Assert.Equal(1, await svc.EchoAsync(1));
        Assert.Equal("done", log[^1]);
    }

    [Fact]
    public void Iterator_methods_are_replaced_at_their_kick_off()
    {
        var it = new Iterators();
        using (Trap.Patch<Func<int, int, IEnumerable<int>>>(it.Range, (_, _) => new[] { 42 }))
        using (Trap.Patch<Func<IEnumerable<string>>>(Iterators.Words, () => new[] { "z" }))
        using (Trap.Patch<Func<string, IEnumerable<string>>>(it.Twice<string>, v => new[] { v }))
        {
            Assert.Equal(new[] { 42 }, it.Range(1, 3));
            Assert.Equal(new[] { "z" }, Iterators.Words());
            Assert.Equal(new[] { "v" }, it.Twice("v"));
            Assert.Equal(new[] { 1, 1 }, it.Twice(1));
        }
        Assert.Equal(new[] { 1, 2, 3 }, it.Range(1, 3));
        Assert.Equal(new[] { "v", "v" }, it.Twice("v"));
    }

    [Fact]
    public async Task Async_iterators_are_replaced_at_their_kick_off()
    {
        var it = new Iterators();
        using (Trap.Patch<Func<int, IAsyncEnumerable<int>>>(it.StreamAsync, _ => Stream(9)))
            Assert.Equal(new[] { 9 }, await Collect(it.StreamAsync(3)));
        Assert.Equal(new[] { 0, 1, 2 }, await Collect(it.StreamAsync(3)));

        static async IAsyncEnumerable<int> Stream(int v)
        {
            await Task.Yield();
            yield return v;
        }
    }

    [Theory]
    [InlineData(typeof(AsyncService), "GetAsync")]
    [InlineData(typeof(AsyncService), "NameAsync")]
    [InlineData(typeof(Iterators), "Range")]
    [InlineData(typeof(Iterators), "StreamAsync")]
    public void State_machine_MoveNext_is_not_trapped(Type type, string method)
    {
        var kickOff = Bind.Method(type, method);
        Assert.True(Trap.IsTrapped(kickOff));
        var stateMachine = kickOff.GetCustomAttribute<StateMachineAttribute>()!.StateMachineType;
        var moveNext = stateMachine.GetMethod("MoveNext", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!;
        var e = Bind.AssertNotTrappable(moveNext);
        Assert.Contains("compiler-generated", e.Message);
    }

    static async Task<List<int>> Collect(IAsyncEnumerable<int> items)
    {
        var list = new List<int>();
        await foreach (var i in items) list.Add(i);
        return list;
    }
}

public class OptimizedAsyncShapesTests
{
    [Fact]
    public async Task Async_methods_with_struct_state_machines_are_replaced_at_their_kick_off()
    {
        var svc = new Optimized::Fixtures.AsyncService();
        using (Trap.Patch<Func<int, Task<int>>>(svc.GetAsync, x => Task.FromResult(-x)))
        using (Trap.Patch<Func<ValueTask<string>>>(svc.NameAsync, () => new ValueTask<string>("fake")))
        {
            Assert.Equal(-4, await svc.GetAsync(4));
            Assert.Equal("fake", await svc.NameAsync());
        }
        Assert.Equal(8, await svc.GetAsync(4));
        Assert.Equal("real", await svc.NameAsync());
        var stateMachine = typeof(Optimized::Fixtures.AsyncService).GetMethod("GetAsync")!
            .GetCustomAttribute<AsyncStateMachineAttribute>()!.StateMachineType;
        Assert.True(stateMachine.IsValueType);
        Bind.AssertNotTrappable(stateMachine.GetMethod("MoveNext", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!);
    }
}
