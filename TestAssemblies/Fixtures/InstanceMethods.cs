using System.Collections.Generic;

namespace Fixtures;

public class Counter
{
    int _count;

    public Counter(int start = 0) => _count = start;

    public int Next() => ++_count;

    public int Add(int amount)
    {
        _count += amount;
        return _count;
    }

    public void Reset() => _count = 0;

    public int Current => _count;

    public string Describe(string prefix) => prefix + ":" + _count;

    public static Counter Create(int start) => new Counter(start);

    internal int InternalPeek() => _count;

    public int Peek() => InternalPeek();

    private int PrivateTwice() => _count * 2;

    public int CallsPrivate() => PrivateTwice();

    public List<int> Log { get; } = new();

    public void Record(int value) => Log.Add(value);
}
