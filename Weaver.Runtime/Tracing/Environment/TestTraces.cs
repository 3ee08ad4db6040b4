using System;
using System.Runtime.CompilerServices;

namespace Trapweave.Tracing;

/// <summary>
/// One trace per test when TRAPWEAVE_TRACE is set: started inside the test's scope as it begins (so
/// it sees the test's flows and nothing else, and ends with the scope), written when the scope ends,
/// whatever the test's outcome. Nothing here throws into the test.
/// </summary>
internal static class TestTraces
{
    static readonly ConditionalWeakTable<TrapScope, TraceSession> Sessions = new();

    /// <summary>Starts the test's trace; the current flow's innermost scope must be <paramref name="scope"/>. Returns a message for the test's output, or null.</summary>
    public static string? Begin(TrapScope scope, string name)
    {
        var environment = EnvironmentTrace.ForTests(out var problem);
        if (environment is null) return problem;
        try
        {
            Sessions.AddOrUpdate(scope, Trap.Trace(environment.Value.Settings.OptionsFor(name)));
        }
        catch (Exception e)
        {
            return EnvironmentTrace.Once("start", $"Trapweave: could not trace test '{name}' ({TraceEnvironmentSettings.DirectoryVariable}): {e.GetType().Name}: {e.Message}") ?? problem;
        }
        return problem;
    }

    /// <summary>Stops the test's trace, if it has one, and writes it. Returns a message for the test's output (a write failure, the first time), or null.</summary>
    public static string? End(TrapScope scope)
    {
        if (!Sessions.TryGetValue(scope, out var session)) return null;
        Sessions.Remove(scope);
        try
        {
            var trace = session.Stop();
            var environment = EnvironmentTrace.ForTests(out _);
            if (environment is null) return null;
            var (_, error) = environment.Value.Files.Write(trace, trace.Name ?? scope.Name ?? "test");
            return error is null ? null
                : EnvironmentTrace.Once("write", $"Trapweave: the trace of test '{trace.Name}' ({TraceEnvironmentSettings.DirectoryVariable}) was not written: {error}. Later failures are not reported again.");
        }
        catch (Exception e)
        {
            return EnvironmentTrace.Once("write", $"Trapweave: the trace of test '{scope.Name}' ({TraceEnvironmentSettings.DirectoryVariable}) was not written: {e.GetType().Name}: {e.Message}. Later failures are not reported again.");
        }
    }
}
