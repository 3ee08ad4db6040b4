using System.IO;
using PuppeteerSharp;

namespace Trapweave.Tests.Tracing;

/// <summary>
/// The system's Chromium (Debian's <c>chromium</c> package, which .ci/run installs) for the browser tests:
/// <c>TRAPWEAVE_CHROMIUM</c> if set, else <c>chromium</c> or <c>chromium-browser</c> on PATH. PuppeteerSharp
/// drives it by that path; nothing here downloads a browser.
/// </summary>
internal static class Chromium
{
    public static readonly string? Path = Find();

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public const string Missing = "Chromium was not found (TRAPWEAVE_CHROMIUM, or chromium / chromium-browser on PATH): install Debian's package with 'apt-get install -y chromium' (.ci/run does so in CI).";

    static string? Find()
    {
        var set = Environment.GetEnvironmentVariable("TRAPWEAVE_CHROMIUM");
        if (!string.IsNullOrEmpty(set)) return File.Exists(set) ? set : throw new FileNotFoundException($"TRAPWEAVE_CHROMIUM names '{set}', which does not exist.");
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in new[] { "chromium", "chromium-browser" })
            {
                var candidate = System.IO.Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    public static Task<IBrowser> LaunchAsync()
    {
        if (Path is null) throw new InvalidOperationException(Missing);
        return Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            // Root in CI has no user namespace sandbox; the rest keeps Chromium from reaching out on its own.
            Args = new[] { "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps" },
            DefaultViewport = new PuppeteerSharp.ViewPortOptions { Width = 1280, Height = 800 },
        });
    }
}

/// <summary>A test that needs Chromium: skipped, saying why, on a developer machine without it; run (and failing) in CI (CI=true) without it.</summary>
sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.Path is null && !Chromium.InCi) Skip = Chromium.Missing;
    }
}
