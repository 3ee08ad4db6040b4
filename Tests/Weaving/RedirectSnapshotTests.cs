using System.Reflection;
using Fixtures.Redirects;

namespace Trapweave.Tests.Weaving;

/// <summary>
/// The exact IL of redirected call sites and their stubs (Debug fixture build), against committed
/// snapshots in Tests/Snapshots, as <see cref="WovenCodeSnapshotTests"/> does for woven methods:
/// a woven method's call site, the inline stub it calls and the armed stub behind it.
/// </summary>
public class RedirectSnapshotTests
{
    const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;
    const string Stubs = "'<Trapweave>Redirects'";

    public static TheoryData<string, string, string> Sites => new()
    {
        // A default-set framework member: File.Exists(string).
        { "redirect-file-exists", nameof(RedirectedCalls.FileExists), "File.Exists" },
        // A constrained. call to an external interface member: the stub is generic over the receiver.
        { "redirect-constrained", nameof(RedirectedCalls.ConstrainedRead), "IReading.Read" },
    };

    [Theory]
    [MemberData(nameof(Sites))]
    public void Redirected_call_site_and_its_stubs_match_their_snapshot(string name, string caller, string stub)
    {
        var assembly = typeof(RedirectedCalls).Assembly;
        var site = typeof(RedirectedCalls).GetMethod(caller)!;
        var inline = assembly.GetType("<Trapweave>Redirects", throwOnError: true)!.GetMethods(Declared).Single(m => m.Name == stub);
        var armed = assembly.GetType("<Trapweave>Redirects+Armed", throwOnError: true)!.GetMethods(Declared).Single(m => m.Name == stub);

        var siteIl = WovenCodeSnapshotTests.Disassemble(site);
        var inlineIl = WovenCodeSnapshotTests.Disassemble(inline);
        var armedIl = WovenCodeSnapshotTests.Disassemble(armed);

        // The shape itself, so a carelessly accepted snapshot still cannot hide a broken redirect:
        // the call site calls the inline stub, which tests a flag and calls the member or the armed stub,
        // which carries the usual trap.
        Assert.Matches($@"\bcall .*{Quoted($"{Stubs}::")}'?{Quoted(stub)}'?[<(]", siteIl);
        Assert.Contains("ldsfld int32 '<Trapweave>TrapTable'::'<>9_'", inlineIl);
        Assert.Contains("aggressiveinlining", inlineIl);
        Assert.Matches($@"\bcall .*{Quoted($"{Stubs}/Armed::")}'?{Quoted(stub)}'?[<(]", inlineIl);
        Assert.Contains("noinlining", armedIl);
        Assert.Matches(@"call .*'<Trapweave>TrapTable'::HN[<(]", armedIl);
        var dispatcherIl = WovenCodeSnapshotTests.DisassembleDispatcher(armed);
        Assert.Contains("call class [System.Runtime]System.Delegate [Trapweave]Trapweave.TrapDispatch::Lookup(int32, valuetype [System.Runtime]System.RuntimeTypeHandle)", dispatcherIl);

        var il = $"// call site: RedirectedCalls.{caller}\n{siteIl}\n// inline stub\n{inlineIl}\n// armed stub\n{armedIl}\n// dispatcher\n{dispatcherIl}";
        WovenCodeSnapshotTests.AssertMatchesSnapshot(name, il, $"RedirectedCalls.{caller} and its {stub} stubs");
    }

    static string Quoted(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
