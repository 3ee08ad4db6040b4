using System.IO;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Threading;
using Fixtures.Runtime;
using ICSharpCode.Decompiler;
using ICSharpCode.Decompiler.Disassembler;
using ICSharpCode.Decompiler.Metadata;

namespace Trapweave.Tests.Weaving;

/// <summary>
/// The exact IL the weaver produces for representative shapes (each woven method followed by the
/// dispatcher its armed block calls), disassembled with ICSharpCode.Decompiler
/// and compared with committed snapshots in Tests/Snapshots. On a difference the new text is written
/// beside the snapshot as *.received.il; review it and copy it over the snapshot if the change is intended.
/// </summary>
public class WovenCodeSnapshotTests
{
    public static TheoryData<string, MethodBase> Methods => new()
    {
        { "static-decimal", typeof(Pricing).GetMethod(nameof(Pricing.PriceOf)) },
        { "virtual-instance", typeof(Warehouse).GetMethod(nameof(Warehouse.Count)) },
        { "readonly-struct", typeof(Money).GetMethod(nameof(Money.Times)) },
        { "constructor", typeof(Basket).GetConstructors().Single() },
        { "void-out-params", typeof(Interception).GetMethod(nameof(Interception.Split)) },
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void Woven_code_matches_its_snapshot(string name, MethodBase method)
    {
        var il = Disassemble(method);
        var dispatcher = DisassembleDispatcher(method);

        // The shape itself, so a carelessly accepted snapshot still cannot hide a broken prologue:
        // the flag, the call to the shape's dispatcher, which looks up and calls the handler.
        Assert.Contains("ldsfld int32 '<Trapweave>TrapTable'::'<>9_'", il);
        Assert.Matches(@"call .*'<Trapweave>TrapTable'::HN[<(]", il);
        Assert.Contains("aggressiveinlining", dispatcher);
        Assert.Contains("call class [System.Runtime]System.Delegate [Trapweave]Trapweave.TrapDispatch::Lookup(int32, valuetype [System.Runtime]System.RuntimeTypeHandle)", dispatcher);
        Assert.Contains("ldtoken '<Trapweave>TrapTable'/HN", dispatcher);

        AssertMatchesSnapshot(name, il + "\n// dispatcher\n" + dispatcher, $"{method.DeclaringType.Name}.{method.Name}");
    }

    /// <summary>The dispatcher <paramref name="method"/>'s armed block calls (a static method of the trap table), disassembled.</summary>
    internal static string DisassembleDispatcher(MethodBase method)
    {
        var name = System.Text.RegularExpressions.Regex.Match(Disassemble(method, normalize: false), @"call .*'<Trapweave>TrapTable'::(H\d+)[<(]").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(name), $"{method.Name} calls no dispatcher");
        var table = method.Module.Assembly.GetType("<Trapweave>TrapTable", throwOnError: true)!;
        return Disassemble(table.GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!);
    }

    /// <summary>Compares with Tests/Snapshots/<paramref name="name"/>.il, writing *.received.il beside it on a difference.</summary>
    internal static void AssertMatchesSnapshot(string name, string il, string what)
    {
        var snapshot = Path.Combine(RepoRoot(), "Tests", "Snapshots", name + ".il");
        var received = Path.ChangeExtension(snapshot, ".received.il");
        if (!File.Exists(snapshot) || File.ReadAllText(snapshot).ReplaceLineEndings() != il.ReplaceLineEndings())
        {
            File.WriteAllText(received, il);
            Assert.Fail($"Woven IL of {what} differs from {snapshot}; see {received}.");
        }
        File.Delete(received);
    }

    internal static string Disassemble(MethodBase method, bool normalize = true)
    {
        var path = method.Module.Assembly.Location;
        using var file = new PEFile(path, File.OpenRead(path));
        var output = new PlainTextOutput();
        var disassembler = new ReflectionDisassembler(output, CancellationToken.None) { ShowSequencePoints = false };
        disassembler.DisassembleMethod(file, (MethodDefinitionHandle)MetadataTokens.EntityHandle(method.MetadataToken));
        if (!normalize) return output.ToString();
        // Shape numbers depend on how many methods the fixture has; RVAs on everything.
        var text = output.ToString();
        text = System.Text.RegularExpressions.Regex.Replace(text, @"TrapTable'(/|::)H\d+", "TrapTable'$1HN");
        text = System.Text.RegularExpressions.Regex.Replace(text, @"(\.method assembly hidebysig static[^\n]*\n\t[^\n]*?)\bH\d+\b", "$1HN");
        return System.Text.RegularExpressions.Regex.Replace(text, @"// Method begins at RVA 0x[0-9a-f]+", "// Method begins at RVA");
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Weaving.sln"))) return dir.FullName;
        throw new InvalidOperationException("Weaving.sln not found above " + AppContext.BaseDirectory);
    }
}
