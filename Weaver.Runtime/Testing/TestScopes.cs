using System.ComponentModel;

namespace Trapweave.Testing;

/// <summary>
/// Entry points for test-framework integration: the sources Trapweave.Fody's build targets add to
/// a test project call these to run each test (and each class, fixture or assembly level) inside
/// its own <see cref="TrapScope"/>. Not for use in test code: use <see cref="Trap.Scope"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TestScopes
{
    /// <summary>
    /// Opens a scope named <paramref name="name"/> (a test's display name, or a class, fixture or
    /// assembly name) and makes it the current flow's innermost scope. <paramref name="parent"/> is
    /// the enclosing level's scope when the framework runs this level in a flow that does not
    /// descend from the parent's; null means the flow's current scope, if any.
    /// </summary>
    public static TrapScope Begin(string name, TrapScope? parent = null) => TrapScope.Open(name, parent);

    /// <summary>
    /// <see cref="Begin"/> for a test itself (not a class, fixture or assembly level): with
    /// TRAPWEAVE_TRACE set, the test's trace starts inside its scope, and <see cref="End"/> writes it
    /// into that directory, named after <paramref name="name"/>.
    /// </summary>
    public static TrapScope BeginTest(string name, TrapScope? parent = null)
    {
        var scope = TrapScope.Open(name, parent);
        if (Tracing.TestTraces.Begin(scope, name) is { } message) (s_pending ??= new()).TryAdd(scope, message);
        return scope;
    }

    // A problem found as a test began (its trace could not start) is reported with the test's end, in its output.
    static System.Collections.Concurrent.ConcurrentDictionary<TrapScope, string>? s_pending;

    /// <summary>
    /// Makes an open scope the current flow's innermost scope again (for frameworks that run setup
    /// and the test body in execution contexts that do not descend from the one that began it).
    /// </summary>
    public static void Enter(TrapScope scope) => scope.Enter();

    /// <summary>
    /// Ends <paramref name="scope"/> and everything registered inside it, and returns a report for the
    /// test's output of what would otherwise have outlived the test (for example a process-wide
    /// registration it never disposed), or null when there is nothing to report.
    /// </summary>
    public static string? End(TrapScope scope)
    {
        // The trace is written before the scope ends its registrations (the trace is one of them).
        string? began = null;
        s_pending?.TryRemove(scope, out began);
        var traced = Tracing.TestTraces.End(scope);
        var report = scope.End();
        return Join(Join(began, traced), report);
    }

    static string? Join(string? first, string? second) =>
        first is null ? second : second is null ? first : first + System.Environment.NewLine + second;

    /// <summary>Whether <paramref name="scope"/> has ended (a level begun again, such as a class MSTest initializes once more, needs a new one).</summary>
    public static bool HasEnded(TrapScope scope) => scope.IsEnded;
}
