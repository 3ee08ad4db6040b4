using System.Diagnostics;
using System.IO;
using PuppeteerSharp;
using PuppeteerSharp.Input;
using Trapweave.Tracing;
using Xunit.Abstractions;

namespace Trapweave.Tests.Tracing;

/// <summary>One headless Chromium for the class.</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public IBrowser Browser { get; private set; }

    public async Task InitializeAsync()
    {
        if (Chromium.Path is null) return; // each test skips (or, in CI, fails saying why)
        Browser = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
    }
}

/// <summary>
/// The HTML viewer opened from file:// in headless Chromium: what a person sees and can do, read from the
/// page's DOM after real clicks and typing.
/// </summary>
[Trait("Category", "Browser")]
public sealed class TraceHtmlBrowserTests : IClassFixture<ChromiumFixture>, IDisposable
{
    readonly ChromiumFixture _chromium;
    readonly ITestOutputHelper _output;
    readonly string _dir = Path.Combine(Path.GetTempPath(), "trapweave-viewer-" + Guid.NewGuid().ToString("N"));

    public TraceHtmlBrowserTests(ChromiumFixture chromium, ITestOutputHelper output)
    {
        _chromium = chromium;
        _output = output;
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    sealed class Opened
    {
        public IPage Page;
        public string Url;
        public readonly List<string> Requests = new();
        public readonly List<string> Errors = new();
    }

    async Task<Opened> OpenAsync(CallTrace trace, TraceHtmlOptions options = null, string name = "trace.html")
    {
        Assert.True(_chromium.Browser is not null, Chromium.Missing);
        var path = Path.Combine(_dir, name);
        TraceHtml.WriteFile(trace, path, options);
        var opened = new Opened { Url = new Uri(path).AbsoluteUri };
        var page = opened.Page = await _chromium.Browser.NewPageAsync();
        page.Request += (_, e) => { lock (opened.Requests) opened.Requests.Add(e.Request.Url); };
        page.Console += (_, e) => { if (e.Message.Type == ConsoleType.Error) lock (opened.Errors) opened.Errors.Add(e.Message.Text); };
        page.PageError += (_, e) => { lock (opened.Errors) opened.Errors.Add(e.Message); };
        await page.GoToAsync(opened.Url, WaitUntilNavigation.Load);
        await page.WaitForSelectorAsync("html[data-ready='true']");
        return opened;
    }

    static Task<string[]> Names(IPage page) =>
        page.EvaluateFunctionAsync<string[]>("() => Array.from(document.querySelectorAll('#tree .row .name')).map(e => e.textContent)");

    static Task<string> Text(IPage page, string selector) =>
        page.EvaluateFunctionAsync<string>("s => { const e = document.querySelector(s); return e ? e.textContent : null; }", selector);

    static Task<string> Field(IPage page, string label) => Text(page, $"#details dd[data-field='{label}']");

    [BrowserFact]
    public async Task The_root_calls_are_listed_and_expanding_one_shows_its_callees()
    {
        var opened = await OpenAsync(TraceViewerSamples.Small(), new TraceHtmlOptions { ExpandDepth = 0 });
        var page = opened.Page;
        Assert.Equal(new[] { "TraceSamples.Outer", "TraceSamples.Save" }, await Names(page));
        Assert.Equal("false", await Text(page, "[data-id='1']") is null ? null : await page.EvaluateFunctionAsync<string>("() => document.querySelector(\"[data-id='1']\").getAttribute('aria-expanded')"));

        await page.ClickAsync("[data-id='1'] .toggle");
        Assert.Equal(new[] { "TraceSamples.Outer", "TraceSamples.Add", "TraceSamples.Login", "TraceSamples.Echo", "TraceSamples.FetchAsync", "TraceSamples.Save" }, await Names(page));
        await page.ClickAsync("[data-id='4'] .toggle");
        await page.ClickAsync("[data-id='5'] .toggle");
        Assert.Equal(new[] { "TraceSamples.Outer", "TraceSamples.Add", "TraceSamples.Login", "TraceSamples.Echo", "TraceSamples.Inner", "TraceSamples.Inner", "TraceSamples.FetchAsync", "TraceSamples.Save" }, await Names(page));

        // Collapsing Outer hides everything under it; opening it again brings back the open subtree.
        await page.ClickAsync("[data-id='1'] .toggle");
        Assert.Equal(new[] { "TraceSamples.Outer", "TraceSamples.Save" }, await Names(page));
        await page.ClickAsync("[data-id='1'] .toggle");
        Assert.Equal(8, (await Names(page)).Length);

        await page.ClickAsync("#collapse-all");
        Assert.Equal(2, (await Names(page)).Length);
        await page.ClickAsync("#expand-all");
        Assert.Equal(9, (await Names(page)).Length);
        Assert.Contains("Repository.Count", await Text(page, "[data-id='9'] .name"));
        Assert.Empty(opened.Errors);
    }

    [BrowserFact]
    public async Task The_header_shows_name_process_filter_and_the_truncation_marker()
    {
        var opened = await OpenAsync(TraceViewerSamples.Small());
        var page = opened.Page;
        Assert.Equal("Checkout places an order", await Text(page, "#title"));
        Assert.Equal("Checkout places an order · Trapweave trace", await page.GetTitleAsync());
        var meta = await Text(page, "#meta");
        Assert.Contains("process testhost (4242)", meta);
        Assert.Contains("runtime .NET test", meta);
        Assert.Contains("filter include Trapweave.Tests.*; exclude *.Internal.*; no redirected calls", meta);
        Assert.Contains("calls 9", meta);
        Assert.False(await page.EvaluateFunctionAsync<bool>("() => document.getElementById('truncated').hidden"));
        Assert.Equal("Truncated: the call cap (9 calls) was reached; 1 call was not recorded.", await Text(page, "#truncated"));

        var untruncated = await OpenAsync(TraceViewerSamples.Big(2, 3, 0), name: "untruncated.html");
        Assert.True(await untruncated.Page.EvaluateFunctionAsync<bool>("() => document.getElementById('truncated').hidden"));
    }

    [BrowserFact]
    public async Task Searching_a_method_shows_the_matches_with_their_callers_and_hides_the_rest()
    {
        var opened = await OpenAsync(TraceViewerSamples.Small(), new TraceHtmlOptions { ExpandDepth = 0 });
        var page = opened.Page;
        await page.TypeAsync("#search", "inner");
        await page.WaitForFunctionAsync("() => document.getElementById('search-count').textContent !== ''");
        Assert.Equal("2 calls match", await Text(page, "#search-count"));
        // The callers are opened up to the matches; calls on no way to a match are gone.
        Assert.Equal(new[] { "TraceSamples.Outer", "TraceSamples.Echo", "TraceSamples.Inner", "TraceSamples.Inner" }, await Names(page));
        Assert.Equal(new[] { "5", "6" }, await page.EvaluateFunctionAsync<string[]>("() => Array.from(document.querySelectorAll('#tree .row.match')).map(e => e.dataset.id)"));

        // In the flame chart the matches keep their colour, the rest fade.
        // (The canvas is transparent over the white page: a faded bar is its colour at a fifth of full opacity.)
        Assert.Equal((107, 155, 209, 255), await BarColour(page, 5));
        var add = await BarColour(page, 2);
        Assert.True(add.A is > 40 and < 60, $"the Add bar is {add} while it does not match");

        // Enter selects the first match.
        await page.FocusAsync("#search");
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("Trapweave.Tests.Tracing.TraceSamples.Inner(int)", await Field(page, "Method"));

        // Clearing the search brings back the tree as it was.
        await page.Keyboard.PressAsync("Escape");
        Assert.Equal(new[] { "TraceSamples.Outer", "TraceSamples.Save" }, await Names(page));
        Assert.Equal("", await Text(page, "#search-count"));
        Assert.Equal((227, 162, 26, 255), await BarColour(page, 2));
        Assert.Empty(opened.Errors);
    }

    [BrowserFact]
    public async Task Clicking_a_call_shows_its_arguments_result_and_exception_as_text()
    {
        var trace = TraceViewerSamples.Small();
        var login = trace.AllCalls().Single(c => c.Id == 3);
        Assert.Contains(TraceViewerSamples.ImgInjection.Replace("\"", "\\\""), login.Arguments[0].Value);
        var opened = await OpenAsync(trace);
        var page = opened.Page;

        await page.ClickAsync("[data-id='3'] .name");
        Assert.Equal("TraceSamples.Login", await Text(page, "#details h2"));
        var args = await page.EvaluateFunctionAsync<string[][]>("() => Array.from(document.querySelectorAll('#arguments tr')).map(r => Array.from(r.cells).map(c => c.textContent))");
        Assert.Equal(new[] { "user", login.Arguments[0].Value }, args[0]);
        Assert.Equal(new[] { "password", "***" }, args[1]);
        Assert.StartsWith("System.InvalidOperationException: account locked", await Text(page, "#exception p"));
        Assert.Contains("account locked", await Text(page, "#exception pre"));
        Assert.Equal("none: the call threw", await Text(page, "#result"));
        // Marked as an error in the tree.
        Assert.True(await page.EvaluateFunctionAsync<bool>("() => document.querySelector(\"[data-id='3']\").classList.contains('error')"));
        Assert.Equal("threw", await Text(page, "[data-id='3'] .badge.error"));
        Assert.Equal("InvalidOperationException: account locked", await Text(page, "[data-id='3'] .summary"));

        // The injected markup stayed text: no element was made from it, its handler never ran.
        Assert.Equal(0, await page.EvaluateFunctionAsync<int>("() => document.querySelectorAll('img').length"));
        Assert.Equal(3, await page.EvaluateFunctionAsync<int>("() => document.querySelectorAll('script').length"));
        Assert.True(await page.EvaluateFunctionAsync<bool>("() => window.__pwned === undefined && window.__pwned2 === undefined"));

        await page.ClickAsync("[data-id='2'] .name");
        Assert.Equal("3", await Text(page, "#result"));
        Assert.Equal(new[] { "a", "1", "b", "2" }, (await page.EvaluateFunctionAsync<string[][]>("() => Array.from(document.querySelectorAll('#arguments tr')).map(r => Array.from(r.cells).map(c => c.textContent))")).SelectMany(r => r));
        Assert.StartsWith("yes", await Field(page, "Arranged"));
        Assert.True(await page.EvaluateFunctionAsync<bool>("() => document.querySelector(\"[data-id='2']\").classList.contains('arranged')"));

        await page.ClickAsync("[data-id='4'] .name");
        Assert.Equal(trace.AllCalls().Single(c => c.Id == 4).Result, await Text(page, "#result"));
        Assert.StartsWith("\"</script><script>", await Text(page, "#result"));

        await page.ClickAsync("[data-id='9'] .name");
        Assert.Equal("Trapweave.Tests.Tracing.TraceSamples.Repository", await Field(page, "Declaring type"));
        Assert.Equal("Trapweave.Tests.Tracing.TraceSamples.SqlRepository", await Field(page, "Runtime type"));
        Assert.Equal("2", await Field(page, "Flow"));
        Assert.Empty(opened.Errors);
    }

    [BrowserFact]
    public async Task Clicking_a_bar_of_the_flame_chart_selects_its_call_and_reveals_it_in_the_tree()
    {
        var opened = await OpenAsync(TraceViewerSamples.Small(), new TraceHtmlOptions { ExpandDepth = 0 });
        var page = opened.Page;
        Assert.Null(await Text(page, "[data-id='7']"));
        var bar = await page.EvaluateFunctionAsync<Bar>("() => window.trapweaveViewer.barCenter(7)");
        Assert.True(bar.Width > 5, $"the FetchAsync bar is {bar.Width} px wide");
        await page.Mouse.ClickAsync(bar.X, bar.Y);

        Assert.Equal("TraceSamples.FetchAsync", await Text(page, "#details h2"));
        Assert.Equal("1 (ended on 4)", await Field(page, "Thread"));
        Assert.StartsWith("yes", await Field(page, "Async"));
        Assert.Equal("31.0 µs (31000 ns)", await Field(page, "Duration"));
        Assert.True(await page.EvaluateFunctionAsync<bool>("() => document.querySelector(\"[data-id='7']\").classList.contains('sel')"));

        // The callee of another flow is on that flow's track.
        bar = await page.EvaluateFunctionAsync<Bar>("() => window.trapweaveViewer.barCenter(9)");
        await page.Mouse.ClickAsync(bar.X, bar.Y);
        Assert.Equal("Repository.Count", await Text(page, "#details h2"));
        Assert.Empty(opened.Errors);
    }

    /// <summary>The colour drawn inside a call's bar, just right of its left edge (clear of its outline and label).</summary>
    static async Task<(int R, int G, int B, int A)> BarColour(IPage page, long id)
    {
        var rgb = await page.EvaluateFunctionAsync<int[]>(@"id => {
            const bar = window.trapweaveViewer.barCenter(id), canvas = document.getElementById('flame'), r = canvas.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
            const d = canvas.getContext('2d').getImageData(Math.round((bar.left - r.left + 2) * dpr), Math.round((bar.y - r.top) * dpr), 1, 1).data;
            return [d[0], d[1], d[2], d[3]];
        }", id);
        return (rgb[0], rgb[1], rgb[2], rgb[3]);
    }

    public sealed class Bar
    {
        public decimal X { get; set; }
        public decimal Y { get; set; }
        public double Width { get; set; }
    }

    [BrowserFact]
    public async Task No_request_leaves_the_page()
    {
        var opened = await OpenAsync(TraceViewerSamples.Small());
        var page = opened.Page;
        // Use it: expand, search, select, so that anything loaded on demand would be asked for.
        await page.ClickAsync("#expand-all");
        await page.TypeAsync("#search", "login");
        await page.WaitForFunctionAsync("() => document.getElementById('search-count').textContent !== ''");
        // Clicked inside the page, in one step: the search may still re-render the tree as the last
        // keystrokes apply, and an element handle taken before that would be detached.
        await page.WaitForSelectorAsync("[data-id='3'] .name");
        await page.EvaluateExpressionAsync("document.querySelector(\"[data-id='3'] .name\").click()");
        var resources = await page.EvaluateFunctionAsync<string[]>("() => performance.getEntriesByType('resource').map(e => e.name)");

        Assert.Equal(new[] { opened.Url }, opened.Requests.ToArray());
        Assert.Empty(resources);
        Assert.Empty(opened.Errors);
    }

    [BrowserFact]
    public async Task A_trace_of_thirty_thousand_calls_opens_with_few_rows_and_pages_its_callees()
    {
        var trace = TraceViewerSamples.Big(roots: 100, children: 300, wide: 1200);
        Assert.Equal(31_300, trace.CallCount);
        var watch = Stopwatch.StartNew();
        var opened = await OpenAsync(trace, name: "big.html");
        watch.Stop();
        var page = opened.Page;
        var rows = await page.EvaluateFunctionAsync<int>("() => document.querySelectorAll('#tree .row').length");
        _output.WriteLine($"31 300 calls: {new FileInfo(Path.Combine(_dir, "big.html")).Length / 1024} KiB of HTML, opened in {watch.ElapsedMilliseconds} ms with {rows} rows");
        // A level opens only if all of it fits in the opening budget (2000 rows): 100 roots with 31 200 callees stay closed.
        Assert.Equal(100, rows);
        // The first root's 1500 callees show in pages of 500.
        await page.ClickAsync("[data-id='1'] .toggle");
        Assert.Equal(100 + 500, await page.EvaluateFunctionAsync<int>("() => document.querySelectorAll('#tree .row').length"));
        Assert.Equal("show 500 more of 1000 calls not shown", await Text(page, "#tree .more"));
        await page.ClickAsync("#tree .more");
        Assert.Equal(100 + 1000, await page.EvaluateFunctionAsync<int>("() => document.querySelectorAll('#tree .row').length"));
        Assert.Equal("TraceSamples.Echo", await Text(page, "#tree .row:nth-child(1001) .name"));

        await page.TypeAsync("#search", "echo");
        await page.WaitForFunctionAsync("() => document.getElementById('search-count').textContent !== ''");
        Assert.Equal("15600 calls match", await Text(page, "#search-count"));
        // Every root leads to matches and opens; the first root's 750 matching callees come in pages of 500, the others' 150 whole.
        Assert.Equal(100 + 500 + 99 * 150, await page.EvaluateFunctionAsync<int>("() => document.querySelectorAll('#tree .row').length"));
        Assert.Equal(500 + 99 * 150, await page.EvaluateFunctionAsync<int>("() => document.querySelectorAll('#tree .row.match').length"));
        // The rest are the 100 roots, leading to them: the Add calls are hidden.
        Assert.Equal(100, await page.EvaluateFunctionAsync<int>("() => document.querySelectorAll('#tree .row:not(.match)').length"));
        Assert.Equal("show 250 more of 250 calls not shown", await Text(page, "#tree .more"));
        Assert.Empty(opened.Errors);
    }

    [BrowserFact]
    public async Task Recursion_five_thousand_calls_deep_expands_and_selects_the_deepest_call()
    {
        var opened = await OpenAsync(TraceViewerSamples.Deep(5000), name: "deep.html");
        var page = opened.Page;
        await page.ClickAsync("#expand-all");
        Assert.Equal(5000, await page.EvaluateFunctionAsync<int>("() => document.querySelectorAll('#tree .row').length"));
        Assert.Equal("[depth 4999]", await Text(page, "[data-id='5000'] .dur"));

        await page.ClickAsync("#collapse-all");
        var bar = await page.EvaluateFunctionAsync<Bar>("() => window.trapweaveViewer.barCenter(5000)");
        await page.Mouse.ClickAsync(bar.X, bar.Y);
        Assert.Equal("5000", await Text(page, "#arguments .arg-value"));
        Assert.True(await page.EvaluateFunctionAsync<bool>("() => document.querySelector(\"[data-id='5000']\").classList.contains('sel')"));
        Assert.Empty(opened.Errors);
    }

    [BrowserFact]
    public async Task Writes_a_screenshot_when_asked()
    {
        var target = Environment.GetEnvironmentVariable("TRAPWEAVE_SCREENSHOT");
        var opened = await OpenAsync(TraceViewerSamples.Small(), new TraceHtmlOptions { ExpandDepth = 3 });
        var page = opened.Page;
        await page.SetViewportAsync(new ViewPortOptions { Width = 1200, Height = 720 });
        await page.ClickAsync("[data-id='3'] .name");
        var path = string.IsNullOrEmpty(target) ? Path.Combine(_dir, "shot.png") : Path.GetFullPath(target);
        await page.ScreenshotAsync(path, new ScreenshotOptions { Type = ScreenshotType.Png });
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes.Take(4));
        _output.WriteLine($"screenshot {path}: {bytes.Length / 1024} KiB");
    }
}
