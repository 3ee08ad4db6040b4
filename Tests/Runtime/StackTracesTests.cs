using Fixtures.Runtime;

namespace Trapweave.Tests.Runtime;

/// <summary>
/// Stack traces through a patched method show the user's code and the woven method, never
/// Trapweave's handlers or internals.
/// </summary>
public class StackTracesTests
{
    static readonly System.Reflection.MethodInfo Ratio = typeof(StackTraces).GetMethod(nameof(StackTraces.Ratio))!;

    public static TheoryData<string> Registrations => new() { "Patch", "Global.Patch", "When.Throws", "When.Returns", "Intercept.Before", "Record+Patch" };

    [Theory]
    [MemberData(nameof(Registrations))]
    public void An_exception_from_a_registration_shows_no_Trapweave_frames(string kind)
    {
        using var registration = Register(kind);

        var e = Assert.Throws<InvalidOperationException>(() => StackTraces.Ratio(1, 2));

        // What a person reads (StackFrame lists hidden frames too; the text leaves them out).
        var frames = Frames(e.StackTrace);
        Assert.DoesNotContain(frames, IsTrapweaveFrame);
        // The woven method keeps its frame, with its own file, right below the user's code.
        Assert.Contains(frames, f => f.StartsWith("at Fixtures.Runtime.StackTraces.Ratio(Int32 a, Int32 b) in ", StringComparison.Ordinal) && f.Contains("StackTraces.cs:line "));
    }

    [Fact]
    public void A_stack_trace_taken_inside_a_replacement_shows_no_Trapweave_frames()
    {
        string inside = null;
        using var patch = Trap.Patch<Func<int, int, int>>(StackTraces.Ratio, (a, b) =>
        {
            inside = Environment.StackTrace;
            return 0;
        });
        StackTraces.Ratio(1, 2);
        Assert.NotNull(inside);
        var frames = Frames(inside);
        Assert.DoesNotContain(frames, IsTrapweaveFrame);
        Assert.Contains(frames, f => f.StartsWith("at Fixtures.Runtime.StackTraces.Ratio(", StringComparison.Ordinal));
    }

    static IDisposable Register(string kind) => kind switch
    {
        "Patch" => Trap.Patch<Func<int, int, int>>(StackTraces.Ratio, (a, b) => throw new InvalidOperationException(kind)),
        "Global.Patch" => Trap.Global.Patch<Func<int, int, int>>(StackTraces.Ratio, (a, b) => a == 1 ? throw new InvalidOperationException(kind) : 0),
        "When.Throws" => Trap.When(() => StackTraces.Ratio(1, Arg.Any<int>())).Throws(new InvalidOperationException(kind)),
        "When.Returns" => Trap.When(() => StackTraces.Ratio(1, 2)).Returns(() => throw new InvalidOperationException(kind)),
        "Intercept.Before" => Trap.Intercept(Ratio, call => throw new InvalidOperationException(kind)),
        "Record+Patch" => new Both(
            Trap.Patch<Func<int, int, int>>(StackTraces.Ratio, (a, b) => throw new InvalidOperationException(kind)),
            Trap.Record(Ratio)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    sealed class Both(IDisposable first, IDisposable second) : IDisposable
    {
        public void Dispose()
        {
            second.Dispose();
            first.Dispose();
        }
    }

    static string[] Frames(string trace) =>
        trace.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("at ", StringComparison.Ordinal)).ToArray();

    // Trapweave's own code, and what the weaver generated in the woven assembly (the dispatchers, which run unoptimized in Debug).
    static bool IsTrapweaveFrame(string frame) =>
        frame.StartsWith("at Trapweave.", StringComparison.Ordinal) && !frame.StartsWith("at Trapweave.Tests.", StringComparison.Ordinal) ||
        frame.StartsWith("at <Trapweave>", StringComparison.Ordinal);
}
