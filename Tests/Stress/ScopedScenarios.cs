using Fixtures;

namespace Trapweave.Tests.Stress;

/// <summary>
/// Rounds inside a <see cref="Trap.Scope"/>: registrations made in awaited async helpers (whose own
/// flow changes never reach the caller) reach the whole scope, and end with it, never disposed by hand.
/// </summary>
internal static class ScopedScenarios
{
    public static async Task HelpersInAScope(SoakFlow flow)
    {
        var tag = flow.Tag;
        using (flow.Opened(Trap.Scope()))
        {
            await PatchInHelper(flow, tag);
            await Task.Run(() => ArrangeGreeting(flow, tag));
            await Reach.Everywhere(() => StaticMethods.Factorial(5), (seen, where) => flow.Expect(120 + tag, seen, $"Factorial(5), patched in a helper, {where}"));
            await Reach.Everywhere(() => StaticMethods.Greet("you"), (seen, where) => flow.Expect("hi " + tag, seen, $"Greet(\"you\"), arranged on the thread pool, {where}"));
        }
        await Reach.Everywhere(() => StaticMethods.Factorial(5), (seen, where) => flow.Expect(120, seen, $"Factorial(5) {where} after the scope"));
        await Reach.Everywhere(() => StaticMethods.Greet("you"), (seen, where) => flow.Expect("hello you", seen, $"Greet(\"you\") {where} after the scope"));
    }

    static async Task PatchInHelper(SoakFlow flow, int tag)
    {
        await Task.Yield();
        // The recursion inside the replacement runs the original.
        var replacement = new Func<int, int>(n => StaticMethods.Factorial(n) + tag);
        flow.Registered(Trap.Patch(StaticMethods.Factorial, replacement), replacement);
    }

    static void ArrangeGreeting(SoakFlow flow, int tag)
    {
        var arrangement = Trap.When(() => StaticMethods.Greet("you"));
        flow.Registered(arrangement.Returns("hi " + tag), arrangement);
    }
}
