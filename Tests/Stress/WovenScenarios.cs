using System.Threading;
using Fixtures;

namespace Trapweave.Tests.Stress;

/// <summary>
/// Rounds on woven fixture methods of several shapes (static, instance, virtual, generic, async):
/// register, check every way the flow reaches the target, dispose, check the original is back.
/// </summary>
internal static class WovenScenarios
{
    /// <summary>A static method patched, reached directly and through a woven caller.</summary>
    public static async Task PatchStatic(SoakFlow flow)
    {
        var tag = flow.Tag;
        var replacement = new Func<int, int, int>((a, b) => tag + a + b);
        using (flow.Registered(Trap.Patch(StaticMethods.Add, replacement), replacement))
        {
            await Reach.Everywhere(() => StaticMethods.Add(1, 2), (seen, where) => flow.Expect(tag + 3, seen, $"Add(1, 2) {where}"));
            await Reach.Everywhere(() => StaticMethods.CallsAdd(5), (seen, where) => flow.Expect((tag + 6) * 10, seen, $"CallsAdd(5) {where}"));
        }
        await Reach.Everywhere(() => StaticMethods.Add(1, 2), (seen, where) => flow.Expect(3, seen, $"Add(1, 2) {where} after dispose"));
    }

    /// <summary>Two patches stacked on one method: the newer wins, each dispose uncovers the one below; a replacement calls the original.</summary>
    public static async Task StackedPatches(SoakFlow flow)
    {
        var tag = flow.Tag;
        var lower = new Func<int, int>(x => StaticMethods.Square(x) + tag);
        var upper = new Func<int, int>(x => -tag - x);
        var below = flow.Registered(Trap.Patch(StaticMethods.Square, lower), lower);
        try
        {
            using (flow.Registered(Trap.Patch(StaticMethods.Square, upper), upper))
                await Reach.Everywhere(() => StaticMethods.Square(3), (seen, where) => flow.Expect(-tag - 3, seen, $"Square(3), upper patch, {where}"));
            // The lower replacement calls Square itself: that call runs the original, not the patch again.
            await Reach.Everywhere(() => StaticMethods.Square(3), (seen, where) => flow.Expect(9 + tag, seen, $"Square(3), lower patch, {where}"));
        }
        finally
        {
            below.Dispose();
        }
        await Reach.Everywhere(() => StaticMethods.Square(3), (seen, where) => flow.Expect(9, seen, $"Square(3) {where} after dispose"));
    }

    /// <summary>A virtual method arranged on the flow's own instance: that instance's calls, also through a woven caller; never the shared instance's.</summary>
    public static async Task InstanceArrangement(SoakFlow flow)
    {
        var tag = flow.Tag;
        var mine = flow.Square;
        var arrangement = Trap.When(() => mine.Area());
        using (flow.Registered(arrangement.Returns(tag), arrangement))
        {
            await Reach.Everywhere(() => mine.Area(), (seen, where) => flow.Expect((double)tag, seen, $"own square's Area() {where}"));
            await Reach.Everywhere(() => mine.Describe(), (seen, where) => flow.Expect("square of area " + tag, seen, $"own square's Describe() {where}"));
            await Reach.Everywhere(() => Shared.Square.Area(), (seen, where) => flow.Expect(4d, seen, $"shared square's Area() {where}"));
        }
        var side = mine.Side;
        await Reach.Everywhere(() => mine.Area(), (seen, where) => flow.Expect(side * side, seen, $"own square's Area() {where} after dispose"));
    }

    /// <summary>A generic method patched for one instantiation and arranged by argument for another.</summary>
    public static async Task GenericInstantiations(SoakFlow flow)
    {
        var tag = flow.Tag;
        var mine = "flow " + flow.Id;
        var replacement = new Func<int, int>(v => v + tag);
        using (flow.Registered(Trap.Patch(GenericStatics.Identity, replacement), replacement))
        using (ByArgument(flow, mine, "tag " + tag))
        {
            await Reach.Everywhere(() => GenericStatics.Identity(1), (seen, where) => flow.Expect(tag + 1, seen, $"Identity<int>(1) {where}"));
            await Reach.Everywhere(() => GenericStatics.Identity(mine), (seen, where) => flow.Expect("tag " + tag, seen, $"Identity<string>(own argument) {where}"));
            await Reach.Everywhere(() => GenericStatics.Identity("other"), (seen, where) => flow.Expect("other", seen, $"Identity<string>(another argument) {where}"));
            await Reach.Everywhere(() => GenericStatics.Identity(2L), (seen, where) => flow.Expect(2L, seen, $"Identity<long>(2) {where}"));
        }
        await Reach.Everywhere(() => GenericStatics.Identity(1), (seen, where) => flow.Expect(1, seen, $"Identity<int>(1) {where} after dispose"));
        await Reach.Everywhere(() => GenericStatics.Identity(mine), (seen, where) => flow.Expect(mine, seen, $"Identity<string>(own argument) {where} after dispose"));
    }

    static IDisposable ByArgument(SoakFlow flow, string argument, string result)
    {
        var arrangement = Trap.When(() => GenericStatics.Identity(argument));
        return flow.Registered(arrangement.Returns(result), arrangement);
    }

    /// <summary>An async instance method intercepted on the flow's own service: Before changes an argument or completes the call; the interceptor sees exactly the flow's calls.</summary>
    public static async Task AsyncInterceptor(SoakFlow flow)
    {
        var interceptor = new CountingInterceptor(flow.Tag);
        using (flow.Registered(Trap.Intercept<Func<int, Task<int>>>(flow.Service.GetAsync, interceptor), interceptor))
        {
            await Reach.EverywhereAsync(() => flow.Service.GetAsync(7), (seen, where) => flow.Expect(flow.Tag, seen, $"own GetAsync(7) {where}"));
            // 3 arrives at the original as 4.
            await Reach.EverywhereAsync(() => flow.Service.GetAsync(3), (seen, where) => flow.Expect(8, seen, $"own GetAsync(3) {where}"));
            await Reach.EverywhereAsync(() => Shared.Service.GetAsync(3), (seen, where) => flow.Expect(6, seen, $"shared GetAsync(3) {where}"));
        }
        flow.Expect(8, interceptor.BeforeCount, "calls the interceptor saw before");
        flow.Expect(8, interceptor.AfterCount, "calls the interceptor saw after");
        await Reach.EverywhereAsync(() => flow.Service.GetAsync(7), (seen, where) => flow.Expect(14, seen, $"own GetAsync(7) {where} after dispose"));
        flow.Expect(8, interceptor.BeforeCount, "calls the interceptor saw after dispose");
    }

    /// <summary>A static async method patched with an async replacement.</summary>
    public static async Task AsyncPatch(SoakFlow flow)
    {
        var tag = flow.Tag;
        var replacement = new Func<string, Task<string>>(async s =>
        {
            await Task.Yield();
            return s + tag;
        });
        using (flow.Registered(Trap.Patch(AsyncService.StaticAsync, replacement), replacement))
            await Reach.EverywhereAsync(() => AsyncService.StaticAsync("a"), (seen, where) => flow.Expect("a" + tag, seen, $"StaticAsync(\"a\") {where}"));
        // The original waits a millisecond (a real Task.Delay): once is enough.
        flow.Expect("a!", await AsyncService.StaticAsync("a"), "StaticAsync(\"a\") after dispose");
    }

    /// <summary>A virtual method recorded for every receiver: the recorder counts the flow's calls, none of the other flows'.</summary>
    public static async Task RecordVirtual(SoakFlow flow)
    {
        var name = typeof(Square).GetMethod(nameof(Square.Name))!;
        var mine = flow.Square;
        CallRecorder recorder;
        using (recorder = Trap.Record(name))
        {
            flow.Registered(recorder, recorder.Registration);
            await Reach.Everywhere(() => mine.Describe(), (seen, where) => flow.Expect($"square of area {mine.Side * mine.Side}", seen, $"own square's Describe() {where}"));
            await Reach.Everywhere(() => Shared.Square.Name(), (seen, where) => flow.Expect("square", seen, $"shared square's Name() {where}"));
        }
        var calls = recorder.Calls;
        flow.Expect(8, calls.Count, "calls recorded");
        flow.Expect(4, calls.Count(c => ReferenceEquals(c.Instance, mine)), "calls recorded on the own square");
        flow.Expect(8, calls.Count(c => c is { Completed: true, Result: "square" }), "recorded calls that returned \"square\"");
        mine.Describe();
        flow.Expect(8, recorder.Count, "calls recorded after dispose");
    }

    /// <summary>Counts the calls it sees; completes GetAsync(7) with the flow's tag and hands 3 to the original as 4.</summary>
    sealed class CountingInterceptor : Interceptor
    {
        readonly int _tag;
        int _before;
        int _after;

        public CountingInterceptor(int tag) => _tag = tag;

        public int BeforeCount => Volatile.Read(ref _before);
        public int AfterCount => Volatile.Read(ref _after);

        public override void Before(Invocation call)
        {
            Interlocked.Increment(ref _before);
            if ((int)call.Arguments[0]! == 7) call.Result = Task.FromResult(_tag);
            else call.Arguments[0] = (int)call.Arguments[0]! + 1;
        }

        public override void After(Invocation call) => Interlocked.Increment(ref _after);
    }
}
