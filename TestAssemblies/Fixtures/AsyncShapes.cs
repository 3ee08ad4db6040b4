using System.Collections.Generic;
using System.Threading.Tasks;

namespace Fixtures;

public class AsyncService
{
    public int Calls;

    public async Task<int> GetAsync(int x)
    {
        Calls++;
        await Task.Yield();
        return x * 2;
    }

    public async Task DoAsync(List<string> log)
    {
        await Task.Yield();
        log.Add("done");
    }

    public async ValueTask<string> NameAsync()
    {
        await Task.Yield();
        return "real";
    }

    public static async Task<string> StaticAsync(string s)
    {
        await Task.Delay(1);
        return s + "!";
    }

    public async Task<T> EchoAsync<T>(T value)
    {
        await Task.Yield();
        return value;
    }

    // Not async, returns a task: an ordinary method.
    public Task<int> Immediate() => Task.FromResult(1);

    public async void FireAndForget(List<string> log)
    {
        log.Add("fired");
        await Task.CompletedTask;
    }
}

public class Iterators
{
    public IEnumerable<int> Range(int start, int count)
    {
        for (var i = 0; i < count; i++) yield return start + i;
    }

    public static IEnumerable<string> Words()
    {
        yield return "a";
        yield return "b";
    }

    public IEnumerator<int> Enumerator()
    {
        yield return 1;
    }

    public async IAsyncEnumerable<int> StreamAsync(int n)
    {
        for (var i = 0; i < n; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    public IEnumerable<T> Twice<T>(T value)
    {
        yield return value;
        yield return value;
    }
}
