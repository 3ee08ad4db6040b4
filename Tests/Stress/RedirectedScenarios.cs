using System.IO;
using System.Runtime.CompilerServices;
using External;
using Fixtures.Redirects;

namespace Trapweave.Tests.Stress;

/// <summary>
/// Rounds on members nobody wove, reached through the fixtures' redirected call sites (.NET's
/// <c>DateTime.Now</c>, <c>File.ReadAllText</c>, <c>Guid.NewGuid</c>; the unwoven External library)
/// and, for the clock, also from this unwoven test assembly through the native fallback.
/// </summary>
internal static class RedirectedScenarios
{
    static readonly DateTime Epoch = new(2000, 1, 1);

    /// <summary>The clock arranged: woven code's calls (redirected), on every kind of thread, and this assembly's own (native).</summary>
    public static async Task ArrangedClock(SoakFlow flow)
    {
        var time = Epoch.AddSeconds(flow.Tag);
        var arrangement = Trap.When(() => DateTime.Now);
        using (flow.Registered(arrangement.Returns(time), arrangement))
        {
            await Reach.Everywhere(ClockReader.Now, (seen, where) => flow.Expect(time, seen, $"woven ClockReader.Now() {where}"));
            await Reach.Everywhere(NativeNow, (seen, where) => flow.Expect(time, seen, $"DateTime.Now from unwoven code {where}"));
            flow.Expect(time, await ClockReader.NowAfterYield(), "woven NowAfterYield()");
            flow.Expect(time, await ClockReader.NowOnThreadPool(), "woven NowOnThreadPool()");
        }
        // The real clock: after the year the soak was written, never one of the arranged times.
        await Reach.Everywhere(ClockReader.Now, (seen, where) => flow.Expect(true, seen.Year >= 2026, $"woven ClockReader.Now() {where} after dispose is real ({seen:O})"));
        await Reach.Everywhere(NativeNow, (seen, where) => flow.Expect(true, seen.Year >= 2026, $"DateTime.Now from unwoven code {where} after dispose is real ({seen:O})"));
    }

    /// <summary>A member of an unwoven library patched; woven callers see the patch.</summary>
    public static async Task PatchedLibrary(SoakFlow flow)
    {
        var tag = flow.Tag;
        var replacement = new Func<int, int, int>((a, b) => a * b + tag);
        using (flow.Registered(Trap.Patch(Library.Add, replacement), replacement))
            await Reach.Everywhere(() => RedirectedCalls.StaticCall(3, 4), (seen, where) => flow.Expect(12 + tag, seen, $"StaticCall(3, 4) {where}"));
        await Reach.Everywhere(() => RedirectedCalls.StaticCall(3, 4), (seen, where) => flow.Expect(7, seen, $"StaticCall(3, 4) {where} after dispose"));
    }

    /// <summary>The library member recorded: exactly the flow's calls, with its arguments and the original's results.</summary>
    public static async Task RecordedLibrary(SoakFlow flow)
    {
        var add = typeof(Library).GetMethod(nameof(Library.Add))!;
        var id = flow.Id;
        var round = flow.Round % 1000;
        CallRecorder recorder;
        using (recorder = Trap.Record(add))
        {
            flow.Registered(recorder, recorder.Registration);
            await Reach.Everywhere(() => RedirectedCalls.StaticCall(id, round), (seen, where) => flow.Expect(id + round, seen, $"StaticCall({id}, {round}) {where}"));
        }
        var calls = recorder.Calls;
        flow.Expect(4, calls.Count, "calls recorded");
        flow.Expect(4, calls.Count(c => c.Arguments.SequenceEqual(new object[] { id, round }) && Equals(c.Result, id + round)), "recorded calls with the flow's arguments and the original's result");
        RedirectedCalls.StaticCall(id, round);
        flow.Expect(4, recorder.Count, "calls recorded after dispose");
    }

    /// <summary>A file read arranged by path: the flow's file gives the arranged text, another file its own.</summary>
    public static async Task ArrangedFile(SoakFlow flow)
    {
        var path = flow.Files.For(flow.Id);
        var text = "arranged " + flow.Tag;
        var arrangement = Trap.When(() => File.ReadAllText(path));
        using (flow.Registered(arrangement.Returns(text), arrangement))
        {
            await Reach.Everywhere(() => RedirectedCalls.ReadAllText(path), (seen, where) => flow.Expect(text, seen, $"ReadAllText(own file) {where}"));
            await Reach.Everywhere(() => RedirectedCalls.ReadAllText(flow.Files.Unarranged), (seen, where) => flow.Expect(SoakFiles.ContentOf(-1), seen, $"ReadAllText(unarranged file) {where}"));
        }
        await Reach.Everywhere(() => RedirectedCalls.ReadAllText(path), (seen, where) => flow.Expect(SoakFiles.ContentOf(flow.Id), seen, $"ReadAllText(own file) {where} after dispose"));
    }

    /// <summary><c>Guid.NewGuid</c> intercepted: Before completes every call with the flow's GUID.</summary>
    public static async Task InterceptedGuid(SoakFlow flow)
    {
        var guid = GuidFor(flow.Tag);
        var before = new Action<Invocation>(call => call.Result = guid);
        using (flow.Registered(Trap.Intercept(typeof(Guid).GetMethod(nameof(Guid.NewGuid))!, before), before))
            await Reach.Everywhere(RedirectedCalls.NewGuid, (seen, where) => flow.Expect(guid, seen, $"NewGuid() {where}"));
        await Reach.Everywhere(RedirectedCalls.NewGuid, (seen, where) => flow.Expect(true, seen != guid && seen.ToByteArray().Skip(8).Any(b => b != 0), $"NewGuid() {where} after dispose is random ({seen})"));
    }

    static Guid GuidFor(int tag) => new(tag, 0, 0, new byte[8]);

    /// <summary>The clock read by this assembly, which nobody wove: reached through the native fallback.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    static DateTime NativeNow() => DateTime.Now;
}
