using System;
using System.Threading;
using System.Threading.Tasks;

namespace Fixtures.Redirects;

/// <summary>
/// Code under test that reads the clock (a redirected framework member) the ways real code does:
/// directly, after an await, on the thread pool and on a thread of its own.
/// </summary>
public static class ClockReader
{
    public static DateTime Now() => DateTime.Now;

    public static async Task<DateTime> NowAfterYield()
    {
        await Task.Yield();
        return DateTime.Now;
    }

    public static Task<DateTime> NowOnThreadPool() => Task.Run(() => DateTime.Now);

    public static DateTime NowOnNewThread()
    {
        var seen = default(DateTime);
        var thread = new Thread(() => seen = DateTime.Now);
        thread.Start();
        thread.Join();
        return seen;
    }

    public static string Variable(string name) => Environment.GetEnvironmentVariable(name);
}
