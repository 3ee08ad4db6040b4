using System.Threading;

namespace Trapweave.Tests.Stress;

/// <summary>
/// The ways a flow reaches the code it arranged: directly, after an await, on the thread pool and on
/// a thread of its own (each of which must see exactly the flow's registrations).
/// </summary>
internal static class Reach
{
    public static async Task Everywhere<T>(Func<T> read, Action<T, string> check)
    {
        check(read(), "directly");
        await Task.Yield();
        check(read(), "after an await");
        check(await Task.Run(read), "on the thread pool");
        check(await OnNewThread(read), "on a new thread");
    }

    public static async Task EverywhereAsync<T>(Func<Task<T>> read, Action<T, string> check)
    {
        check(await read(), "directly");
        await Task.Yield();
        check(await read(), "after an await");
        check(await Task.Run(read), "on the thread pool");
        check(await await OnNewThread(read), "on a new thread");
    }

    /// <summary>Runs <paramref name="read"/> on a new thread; awaited, not joined, so no pool thread waits for it.</summary>
    public static Task<T> OnNewThread<T>(Func<T> read)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try { done.SetResult(read()); }
            catch (Exception e) { done.SetException(e); }
        }) { IsBackground = true };
        thread.Start();
        return done.Task;
    }
}
