using System.Reflection;
using System.Threading;
using Fixtures.Redirects;
using Trapweave.Tests.Redirect.Support;

namespace Trapweave.Tests.Redirect;

/// <summary>
/// Per-flow isolation of a redirected framework member: three test classes (xunit runs each class in
/// parallel with the others) read <c>DateTime.Now</c> through woven code 10,000 times each, directly,
/// after awaits, through <c>Task.Run</c> and on new threads. Two fake it differently, one arranges
/// nothing. They meet before their loops and again after them, so every call of each class is made
/// while the other two classes' registrations are live. Run them together (filter on this class's name).
/// </summary>
public static class ClockIsolationTests
{
    const int Calls = 10_000;
    const int Classes = 3;

    static readonly Rendezvous Armed = new("clock isolation: all armed", Classes);
    static readonly Rendezvous Done = new("clock isolation: all loops done", Classes);

    static readonly DateTime Frozen = new(2001, 2, 3, 4, 5, 6);
    static readonly DateTime CountingFrom = new(1999, 12, 31, 23, 0, 0);

    static readonly MethodInfo NowGetter = typeof(DateTime).GetProperty(nameof(DateTime.Now))!.GetMethod!;

    /// <summary>Fakes the clock with <c>Trap.When(() => DateTime.Now).Returns(...)</c>: every call sees that one value.</summary>
    public class FrozenClock
    {
        [Fact]
        public async Task Every_call_sees_its_own_frozen_time()
        {
            using (Trap.When(() => DateTime.Now).Returns(Frozen))
            {
                await Armed.Arrive();
                var failures = await ReadTheClock((seen, _, _) => seen == Frozen ? null : $"saw {seen:O}, not the frozen {Frozen:O}");
                await Done.Arrive();
                AssertNone(failures);
            }
            Assert.NotEqual(Frozen, ClockReader.Now());
        }
    }

    /// <summary>
    /// Fakes the clock with a patch that counts: call n sees <see cref="CountingFrom"/> plus n ticks, so
    /// the sequence shows that each of this class's calls reached this patch exactly once and no other
    /// class's call reached it.
    /// </summary>
    public class CountingClock
    {
        [Fact]
        public async Task Every_call_sees_the_next_tick_of_its_own_patch()
        {
            var count = 0L;
            using (Trap.Patch(NowGetter, new Func<DateTime>(() => CountingFrom.AddTicks(Interlocked.Increment(ref count)))))
            {
                await Armed.Arrive();
                var expected = 0L;
                var failures = await ReadTheClock((seen, _, _) =>
                {
                    var wanted = CountingFrom.AddTicks(++expected);
                    return seen == wanted ? null : $"saw {seen:O} ({(seen - CountingFrom).Ticks} ticks), not {wanted:O} ({expected} ticks)";
                });
                await Done.Arrive();
                AssertNone(failures);
                Assert.Equal(Calls, Interlocked.Read(ref count));
            }
            Assert.Equal(Calls, Interlocked.Read(ref count));
        }
    }

    /// <summary>Arranges nothing: every call sees the real clock, read between two real readings around it.</summary>
    public class UnarrangedNeighbour
    {
        [Fact]
        public async Task Every_call_sees_the_real_clock()
        {
            await Armed.Arrive();
            var failures = await ReadTheClock((seen, before, after) =>
                seen == Frozen || (seen > CountingFrom && seen <= CountingFrom.AddTicks(Calls)) ? $"saw a fake time, {seen:O}"
                : seen < before || seen > after ? $"saw {seen:O}, outside the real clock's {before:O} .. {after:O}"
                : null);
            await Done.Arrive();
            AssertNone(failures);
        }
    }

    /// <summary>
    /// <see cref="Calls"/> reads of the clock through woven code (<see cref="ClockReader"/>), taking turns
    /// between the four ways, each checked against the real clock read just before and just after it
    /// (read through <c>DateTime.UtcNow</c>: the test assembly's own <c>DateTime.Now</c> is intercepted
    /// too, by the native fallback, so in an arranged flow it would see the fake and count as a call).
    /// </summary>
    static async Task<List<string>> ReadTheClock(Func<DateTime, DateTime, DateTime, string> check)
    {
        var failures = new List<string>();
        for (var i = 0; i < Calls; i++)
        {
            var before = RealNow();
            var (seen, way) = (i % 4) switch
            {
                0 => (ClockReader.Now(), "directly"),
                1 => (await ClockReader.NowAfterYield(), "after an await"),
                2 => (await ClockReader.NowOnThreadPool(), "in Task.Run"),
                _ => (ClockReader.NowOnNewThread(), "on a new thread"),
            };
            var after = RealNow();
            if (check(seen, before, after) is { } problem) failures.Add($"call {i} ({way}): {problem}");
        }
        return failures;
    }

    static DateTime RealNow() => DateTime.UtcNow.ToLocalTime();

    static void AssertNone(List<string> failures) =>
        Assert.True(failures.Count == 0, $"{failures.Count} of {Calls} calls saw another clock:\n" + string.Join("\n", failures.Take(20)));
}
