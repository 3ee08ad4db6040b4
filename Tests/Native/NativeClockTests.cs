using System.Runtime.CompilerServices;
using System.Threading;
using Trapweave.Tests.Redirect.Support;

namespace Trapweave.Tests.Native;

/// <summary>
/// The test assembly (not woven) reads <c>DateTime.Now</c> itself: two classes fake it differently
/// in parallel, 40 rounds of 2,000 direct calls with real pauses between rounds (long enough for the
/// runtime to tier the clock up), while an unarranged neighbour always reads the real clock. They meet
/// before their rounds and after, so every call is made while the others' registrations are live.
/// Run them together (filter on this class's name).
/// </summary>
public static class NativeClockTests
{
    const int Rounds = 40;
    const int CallsPerRound = 2000;
    static readonly Rendezvous Armed = new("native clock: all armed", 3);
    static readonly Rendezvous Done = new("native clock: all rounds done", 3);

    public class First
    {
        [Fact]
        public Task Every_direct_call_sees_its_own_time() => Fake(new DateTime(2001, 1, 1));
    }

    public class Second
    {
        [Fact]
        public Task Every_direct_call_sees_its_own_time() => Fake(new DateTime(2002, 2, 2));
    }

    public class Neighbour
    {
        [Fact]
        public async Task Every_direct_call_sees_the_real_clock()
        {
            await Armed.Arrive();
            var wrong = Read(now => now.Year < 2020);
            await Done.Arrive();
            Assert.Equal(0, wrong);
        }
    }

    static async Task Fake(DateTime time)
    {
        using (Trap.When(() => DateTime.Now).Returns(time))
        {
            await Armed.Arrive();
            var wrong = Read(now => now != time);
            await Done.Arrive();
            Assert.Equal(0, wrong);
        }
    }

    /// <summary>The calls whose result is <paramref name="isWrong"/>.</summary>
    static int Read(Func<DateTime, bool> isWrong)
    {
        var wrong = 0;
        for (var round = 0; round < Rounds; round++)
        {
            for (var i = 0; i < CallsPerRound; i++)
                if (isWrong(Now())) wrong++;
            // Not synchronisation: tiering works on a timer, and the test must outlast it.
            Thread.Sleep(20);
        }
        return wrong;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static DateTime Now() => DateTime.Now;
}
