using System.Threading;
using Fixtures.Redirects;

namespace Trapweave.Tests.Redirect;

/// <summary>
/// <c>Trap.Global</c> on a redirected framework member (<c>Environment.GetEnvironmentVariable</c>,
/// arranged for one variable name only, so tests running beside these are not touched): seen by
/// every flow, and each disposal ends exactly its own registration.
/// </summary>
public class GlobalRedirectTests
{
    [Fact]
    public async Task A_global_arrangement_is_seen_by_every_flow()
    {
        var name = UniqueVariable();
        Environment.SetEnvironmentVariable(name, "real");
        try
        {
            using (Trap.Global.When(() => Environment.GetEnvironmentVariable(name)).Returns("global"))
            {
                Assert.Equal("global", ClockReader.Variable(name));
                Assert.Equal("global", await Task.Run(() => ClockReader.Variable(name)));
                Assert.Equal("global", OnThread(() => ClockReader.Variable(name)));
                // A flow that inherits nothing from this one still sees it.
                Task<string> unrelated;
                using (ExecutionContext.SuppressFlow())
                    unrelated = Task.Run(() => ClockReader.Variable(name));
                Assert.Equal("global", await unrelated);
                // Other variables are read for real.
                Assert.Equal(Environment.GetEnvironmentVariable("PATH"), ClockReader.Variable("PATH"));
            }
            Assert.Equal("real", ClockReader.Variable(name));
            Assert.Equal("real", OnThread(() => ClockReader.Variable(name)));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void Disposing_ends_exactly_that_registration()
    {
        var name = UniqueVariable();
        var older = Trap.Global.When(() => Environment.GetEnvironmentVariable(name)).Returns("older");
        var newer = Trap.Global.When(() => Environment.GetEnvironmentVariable(name)).Returns("newer");
        try
        {
            Assert.Equal("newer", OnThread(() => ClockReader.Variable(name)));

            // The flow's own registration wins over global ones while it lives, and outlives neither.
            using (Trap.When(() => Environment.GetEnvironmentVariable(name)).Returns("flow"))
            {
                Assert.Equal("flow", ClockReader.Variable(name));
                Assert.Equal("newer", OnThread(() => ClockReader.Variable(name), suppressFlow: true));
                newer.Dispose();
                Assert.Equal("flow", ClockReader.Variable(name));
                Assert.Equal("older", OnThread(() => ClockReader.Variable(name), suppressFlow: true));
            }
            Assert.Equal("older", ClockReader.Variable(name));
            newer.Dispose(); // twice: nothing more ends
            Assert.Equal("older", ClockReader.Variable(name));

            older.Dispose();
            Assert.Null(ClockReader.Variable(name));
            Assert.Null(OnThread(() => ClockReader.Variable(name), suppressFlow: true));
        }
        finally
        {
            newer.Dispose();
            older.Dispose();
        }
    }

    static string UniqueVariable() => "TRAPWEAVE_GLOBAL_REDIRECT_" + Guid.NewGuid().ToString("N");

    static string OnThread(Func<string> read, bool suppressFlow = false)
    {
        string seen = null;
        var thread = new Thread(() => seen = read());
        if (suppressFlow)
        {
            using (ExecutionContext.SuppressFlow()) thread.Start();
        }
        else
        {
            thread.Start();
        }
        thread.Join();
        return seen;
    }
}
