using System.Net.Http;
using System.Threading.Tasks;

namespace Fixtures.Tracing;

/// <summary>Calls whose spans go further: an HTTP request carries the current span's W3C context.</summary>
public static class TraceActivities
{
    public static async Task<string> FetchAsync(HttpClient client, string url)
    {
        var text = await client.GetStringAsync(url);
        return TracedCalls.Double(text.Length).ToString();
    }
}
