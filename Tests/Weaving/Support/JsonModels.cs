using System.Runtime.Serialization;

namespace Trapweave.Tests.Weaving.Support.Json;

// A varied object graph for the Newtonsoft workload: every value kind the serializer treats specially.

public enum Color { Red, Green, DeepBlue }

[Flags]
public enum Permissions { None = 0, Read = 1, Write = 2, Execute = 4 }

public abstract class Animal
{
    public string Name { get; set; }
    public int Legs { get; set; }
}

public sealed class Dog : Animal
{
    public int Barks { get; set; }
    public Color Collar { get; set; }
}

public sealed class Cat : Animal
{
    public bool Indoor { get; set; }
    public TimeSpan Nap { get; set; }
}

public sealed class Item
{
    public int Id { get; set; }
    public string Name { get; set; }
    public decimal Price { get; set; }
    public List<string> Tags { get; set; } = new();
    public Dictionary<string, double> Measures { get; set; } = new();
    public Item Child { get; set; }
}

[DataContract(Name = "contract")]
public sealed class Contracted
{
    [DataMember(Name = "second", Order = 2)] public string Second { get; set; }
    [DataMember(Name = "first", Order = 1)] public int First { get; set; }
    [DataMember(Name = "third", Order = 3, EmitDefaultValue = false)] public string Third { get; set; }
    public string NotAMember { get; set; } = "hidden";
}

public struct Point
{
    public int X { get; set; }
    public int Y { get; set; }
}

public sealed class Root
{
    public string Title { get; set; }
    public string Escapes { get; set; }
    public int Count { get; set; }
    public long Big { get; set; }
    public ulong Unsigned { get; set; }
    public double Ratio { get; set; }
    public float Single { get; set; }
    public decimal Price { get; set; }
    public bool Flag { get; set; }
    public char Letter { get; set; }
    public byte[] Blob { get; set; }
    public Guid Id { get; set; }
    public DateTime When { get; set; }
    public DateTime Local { get; set; }
    public DateTimeOffset WhenOffset { get; set; }
    public TimeSpan Duration { get; set; }
    public int? Missing { get; set; }
    public int? Present { get; set; }
    public double? NotANumber { get; set; }
    public Color Color { get; set; }
    public Permissions Permissions { get; set; }
    public Uri Link { get; set; }
    public Version Version { get; set; }
    public Point Origin { get; set; }
    public Point? MaybePoint { get; set; }
    public List<Item> Items { get; set; } = new();
    public Item[] ItemArray { get; set; }
    public int[][] Jagged { get; set; }
    public int[,] Grid { get; set; }
    public Dictionary<string, int> Scores { get; set; } = new();
    public Dictionary<int, string> ByNumber { get; set; } = new();
    public Dictionary<Color, List<int>> ByColor { get; set; } = new();
    public HashSet<string> Unique { get; set; } = new();
    public Queue<int> Queue { get; set; } = new();
    public Animal Pet { get; set; }
    public List<Animal> Zoo { get; set; } = new();
    public object Anything { get; set; }
    public object Nothing { get; set; }
    public Contracted Contract { get; set; }
    public KeyValuePair<string, int> Pair { get; set; }
    public Tuple<int, string> Tuple { get; set; }
}

public static class Graphs
{
    /// <summary>The same graph every time.</summary>
    public static Root Sample()
    {
        var root = new Root
        {
            Title = "Trapweave round trip",
            Escapes = "quote \" backslash \\ slash / tab \t newline \n cr \r nul \u0001 é ☃ 𝄞 <script>&amp;",
            Count = 42,
            Big = long.MaxValue - 7,
            Unsigned = ulong.MaxValue,
            Ratio = Math.PI,
            Single = 1.25e-7f,
            Price = 12345.678900m,
            Flag = true,
            Letter = 'ß',
            Blob = Enumerable.Range(0, 64).Select(i => (byte)(i * 7)).ToArray(),
            Id = new Guid("7c9e6679-7425-40de-944b-e07fc1f90ae7"),
            When = new DateTime(2024, 2, 29, 23, 59, 58, 123, DateTimeKind.Utc),
            Local = new DateTime(2001, 1, 2, 3, 4, 5, DateTimeKind.Unspecified),
            WhenOffset = new DateTimeOffset(2019, 6, 1, 12, 30, 0, TimeSpan.FromHours(-4.5)),
            Duration = new TimeSpan(3, 4, 5, 6, 789),
            Missing = null,
            Present = -17,
            NotANumber = double.NaN,
            Color = Color.DeepBlue,
            Permissions = Permissions.Read | Permissions.Execute,
            Link = new Uri("https://example.invalid/a path?q=1&r=ü#frag"),
            Version = new Version(1, 2, 3, 4),
            Origin = new Point { X = -1, Y = 2 },
            MaybePoint = new Point { X = 5, Y = 6 },
            Jagged = new[] { new[] { 1, 2 }, Array.Empty<int>(), new[] { 3 } },
            Grid = new[,] { { 1, 2, 3 }, { 4, 5, 6 } },
            Pet = new Dog { Name = "Rex", Legs = 4, Barks = 3, Collar = Color.Red },
            Anything = new Dictionary<string, object> { ["nested"] = new List<object> { 1, "two", 3.5, null, true } },
            Contract = new Contracted { First = 1, Second = "two" },
            Pair = new KeyValuePair<string, int>("key", 9),
            Tuple = System.Tuple.Create(7, "seven"),
        };
        for (var i = 0; i < 5; i++)
        {
            root.Items.Add(new Item
            {
                Id = i,
                Name = "item " + i,
                Price = i * 1.1m,
                Tags = Enumerable.Range(0, i).Select(t => "tag" + t).ToList(),
                Measures = { ["w"] = i / 3.0, ["h"] = -i },
                Child = i % 2 == 0 ? new Item { Id = 100 + i, Name = "child" } : null,
            });
        }
        root.ItemArray = root.Items.Take(2).ToArray();
        root.Scores["alpha"] = 1;
        root.Scores["beta"] = -2;
        root.ByNumber[3] = "three";
        root.ByNumber[-1] = "minus one";
        root.ByColor[Color.Green] = new List<int> { 1, 1, 2, 3, 5 };
        root.Unique.Add("x");
        root.Unique.Add("y");
        root.Queue.Enqueue(10);
        root.Queue.Enqueue(20);
        root.Zoo.Add(new Cat { Name = "Tom", Legs = 4, Indoor = true, Nap = TimeSpan.FromMinutes(95) });
        root.Zoo.Add(new Dog { Name = "Spike", Legs = 3, Barks = 99, Collar = Color.Green });
        return root;
    }

    /// <summary>Many small items: a bulk workload.</summary>
    public static List<Item> Bulk(int count) =>
        Enumerable.Range(0, count).Select(i => new Item
        {
            Id = i,
            Name = "bulk-" + i.ToString("D4"),
            Price = i * 0.01m,
            Tags = { "t" + i % 7, "u" + i % 3 },
            Measures = { ["m"] = i * 0.5 },
        }).ToList();
}
