using System.Runtime.InteropServices;
using System.Threading;
using Trapweave.Internal.Native;

namespace Trapweave.Tests.Native;

/// <summary>
/// Holding every other thread for a swap (Linux x86-64): the swap happens with busy threads around,
/// a thread stopped inside the zone prevents it and is named, and every thread goes on afterwards.
/// </summary>
[Collection(NotInParallel.Name)]
public unsafe class WorldStopTests
{
    static IWorldStop Stop => NativePlatform.WorldStop;

    static bool Supported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    [Fact]
    public void Busy_threads_are_held_for_the_swap_and_go_on_afterwards()
    {
        if (!Supported) { Assert.NotNull(Stop.Unavailable); return; }
        Assert.Null(Stop.Unavailable);
        var word = (long*)NativeMemory.AllocZeroed(8);
        var running = 1;
        var counts = new long[6];
        var threads = Enumerable.Range(0, counts.Length).Select(i => new Thread(() =>
        {
            while (Volatile.Read(ref running) == 1) Interlocked.Increment(ref counts[i]);
        })).ToList();
        foreach (var thread in threads) thread.Start();
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < 200; i++)
            {
                var outcome = Stop.Swap((IntPtr)word, i, i + 1, IntPtr.Zero, IntPtr.Zero, out _);
                Assert.True(outcome == WorldStopOutcome.Swapped, $"stop {i}: {outcome}, {((LinuxWorldStop)Stop).LastCounts}");
                Assert.Equal(i + 1, *word);
            }
            Console.WriteLine($"200 stops of {threads.Count + 1}+ threads: {watch.Elapsed.TotalMilliseconds / 200:F3} ms each");
            // A word that does not hold the expected value is left as it is.
            Assert.Equal(WorldStopOutcome.WordChanged, Stop.Swap((IntPtr)word, 7, 8, IntPtr.Zero, IntPtr.Zero, out var found));
            Assert.Equal(200, found);
            Assert.Equal(200, *word);

            // Every thread goes on after the stops.
            var before = counts.Select(c => Volatile.Read(ref c)).ToArray();
            SpinWait.SpinUntil(() => counts.Select((c, i) => Volatile.Read(ref counts[i]) > before[i]).All(x => x), TimeSpan.FromSeconds(30));
            Assert.All(Enumerable.Range(0, counts.Length), i => Assert.True(Volatile.Read(ref counts[i]) > before[i], $"thread {i} did not go on"));
        }
        finally
        {
            Volatile.Write(ref running, 0);
            foreach (var thread in threads) thread.Join();
            NativeMemory.Free(word);
        }
    }

    [Fact]
    public void A_thread_held_inside_the_zone_prevents_the_swap()
    {
        if (!Supported) return;
        // A native loop at a known address: "spin: pause; cmp qword [rdi], 0; jne spin; ret".
        var code = new byte[] { 0xF3, 0x90, 0x48, 0x83, 0x3F, 0x00, 0x75, 0xF8, 0xC3 };
        var size = Environment.SystemPageSize;
        var page = NativePlatform.Writer.AllocateThunkPage(size);
        code.CopyTo(new Span<byte>((void*)page, code.Length));
        NativePlatform.Writer.Seal(page, size);
        var flag = (long*)NativeMemory.AllocZeroed(8);
        var word = (long*)NativeMemory.AllocZeroed(8);
        *flag = 1;
        var entered = new ManualResetEventSlim();
        var spinner = new Thread(() =>
        {
            entered.Set();
            ((delegate* unmanaged<long*, void>)page)(flag);
        });
        spinner.Start();
        try
        {
            entered.Wait();
            // Until the thread has reached the loop, a stop may find it elsewhere: wait for the first InZone.
            WorldStopOutcome outcome = default;
            long at = 0;
            SpinWait.SpinUntil(() => (outcome = Stop.SwapWhileStopped((IntPtr)word, 0, 1, page, page + code.Length, out at)) == WorldStopOutcome.InZone, TimeSpan.FromSeconds(30));
            Assert.Equal(WorldStopOutcome.InZone, outcome);
            Assert.InRange((long)at, (long)page, (long)page + code.Length - 1);
            Assert.Equal(0, *word);
        }
        finally
        {
            Volatile.Write(ref *flag, 0);
            spinner.Join();
        }
        // With the thread gone from the loop, the same swap is made.
        Assert.Equal(WorldStopOutcome.Swapped, Stop.Swap((IntPtr)word, 0, 1, page, page + code.Length, out _));
        Assert.Equal(1, *word);
    }
}
