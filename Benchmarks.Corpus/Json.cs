using System.Text.Json;

namespace Trapweave.Benchmarks.Corpus;

/// <summary>One JSON object per line on stdout, snake_case names: what the script and the test parse.</summary>
public static class Json
{
    static readonly JsonSerializerOptions Format = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Line(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Format));
}
