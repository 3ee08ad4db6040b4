using System.Collections.Generic;

namespace Fixtures;

public class Settings
{
    string _name = "default";
    readonly Dictionary<string, string> _values = new();
    readonly int[] _grid = new int[9];

    public int Auto { get; set; } = 3;

    public string Name
    {
        get => _name;
        set => _name = value?.Trim();
    }

    public int ReadOnly => 42;

    public int InitOnly { get; init; } = 7;

    public static string StaticProp { get; set; } = "static";

    public string this[string key]
    {
        get => _values.TryGetValue(key, out var v) ? v : "none";
        set => _values[key] = value;
    }

    public int this[int row, int col]
    {
        get => _grid[row * 3 + col];
        set => _grid[row * 3 + col] = value;
    }

    public required string Required { get; set; }

    // C# 13 field keyword (semi-auto property).
    public string Lazy
    {
        get => field ??= "computed";
        set => field = value;
    }
}

public interface IHasId
{
    int Id { get; }
}

public class Entity : IHasId
{
    public virtual int Id => 1;

    int IHasId.Id => 100;
}

public class DerivedEntity : Entity
{
    public override int Id => 2;
}
