using Fixtures;

namespace Trapweave.Tests.Stress;

/// <summary>
/// A process-wide recorder (<see cref="Trap.Global"/>) on a method other rounds patch: it is seen by
/// every flow, changes no result, and counts exactly the flow's own calls among everyone's (told
/// apart by their arguments). A flow's own patch on the method stays above it.
/// </summary>
internal static class GlobalScenarios
{
    public static async Task GlobalRecorder(SoakFlow flow)
    {
        var add = typeof(StaticMethods).GetMethod(nameof(StaticMethods.Add))!;
        // Arguments no other round passes: Add(1, 2) and CallsAdd's Add(5, 1) elsewhere.
        var a = -1 - flow.Id;
        var b = -1 - flow.Round % 1000;
        CallRecorder recorder;
        using (recorder = Trap.Global.Record(add))
        {
            flow.Registered(recorder, recorder.Registration);
            await Reach.Everywhere(() => StaticMethods.Add(a, b), (seen, where) => flow.Expect(a + b, seen, $"Add({a}, {b}) {where}"));
        }
        var own = recorder.Calls.Where(c => c.Arguments.SequenceEqual(new object[] { a, b })).ToList();
        flow.Expect(4, own.Count, "own calls recorded process-wide");
        flow.Expect(4, own.Count(c => Equals(c.Result, a + b)), "own recorded calls that returned the original's result");
        StaticMethods.Add(a, b);
        flow.Expect(4, recorder.Calls.Count(c => c.Arguments.SequenceEqual(new object[] { a, b })), "own calls recorded after dispose");
    }
}
