using System.Threading;

namespace Trapweave.Tests.Native;

/// <summary>
/// A thread's first dispatch creates its dispatch state; that bookkeeping must not itself run into
/// a natively patched framework member (here <c>Array.Copy</c>, which <c>List&lt;T&gt;</c> growth calls)
/// and dispatch again before the state exists: that recursed until the stack overflowed (seen under
/// the whole suite while a test intercepted every member Newtonsoft.Json calls).
/// </summary>
[Collection(NotInParallel.Name)]
public class FirstDispatchTests
{
    const int Threads = 64;

    [Fact]
    public async Task New_threads_make_their_first_dispatch_through_a_natively_patched_member_Trapweave_uses()
    {
        var copy = typeof(Array).GetMethod(nameof(Array.Copy), [typeof(Array), typeof(Array), typeof(int)])!;
        var calls = 0;
        using (Trap.Intercept(copy, _ => Interlocked.Increment(ref calls)))
        {
            var copied = await Task.WhenAll(Enumerable.Range(0, Threads).Select(CopyOnANewThread));
            Assert.Equal(Enumerable.Range(0, Threads), copied);
        }
        Assert.True(calls >= Threads, $"only {calls} calls to Array.Copy were intercepted");
    }

    static Task<int> CopyOnANewThread(int value)
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                var from = new[] { value };
                var to = new int[1];
                Array.Copy(from, to, 1);
                done.SetResult(to[0]);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }).Start();
        return done.Task;
    }
}
