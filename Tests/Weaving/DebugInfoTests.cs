using System.IO;
using System.Reflection;
using System.Reflection.PortableExecutable;
using Mono.Cecil;
using Trapweave.Fody.Core;
using Trapweave.Tests.Weaving.Support;

namespace Trapweave.Tests.Weaving;

/// <summary>
/// Weaving a file keeps what debuggers and stack traces rely on: the same file and line for every
/// frame, breakpoints binding on the same lines, and the PDB kind (portable, embedded, none).
/// </summary>
public class DebugInfoTests
{
    const int HiddenLine = 0xFEEFEE;

    // Method to call, its argument, and the "// line:NAME" marker of the innermost frame expected.
    public static TheoryData<string, string, object, string> ThrowingCases()
    {
        var data = new TheoryData<string, string, object, string>();
        foreach (var assembly in new[] { "Trapweave.DebugInfo", "Trapweave.DebugInfo.Embedded" })
        {
            data.Add(assembly, "Throws", 1, "Throws");
            data.Add(assembly, "ThrowsInLoop", 3, "ThrowsInLoop");
            data.Add(assembly, "ThrowsInTry", "not a number", "ThrowsInTry");
            data.Add(assembly, "ThrowsThroughCaller", 1, "Helper");
            data.Add(assembly, "ThrowsAsync", 1, "ThrowsAsync");
            data.Add(assembly, "ThrowsInIterator", 2, "ThrowsInIterator");
            data.Add(assembly, "ThrowsInConstructor", -1, "Widget.ctor");
            data.Add(assembly, "CallsInstance", 13, "Widget.Twice");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ThrowingCases))]
    public void Stack_traces_of_the_woven_copy_report_the_same_files_and_lines(string assemblyName, string method, object argument, string marker)
    {
        using var dir = new TempDirectory("stack");
        var (plainPath, wovenPath) = PlainAndWoven(dir, assemblyName);

        using var plainContext = new IsolatedContext("plain", Path.GetDirectoryName(plainPath)!);
        using var wovenContext = new IsolatedContext("woven", Path.GetDirectoryName(wovenPath)!);
        var plain = plainContext.LoadCopy(plainPath);
        var woven = wovenContext.LoadCopy(wovenPath);

        var plainFrames = Frame.Of(Invoke(plain, method, argument), plain);
        var wovenFrames = Frame.Of(Invoke(woven, method, argument), woven);

        Assert.NotEmpty(plainFrames);
        Assert.All(plainFrames, f => Assert.True(f.Line > 0, $"the unwoven copy has no line for {f}"));
        if (IsJitOptimized(plain))
        {
            // Optimized code may lose caller frames to tail calls, and a woven method (its armed path
            // takes a local's address) never makes one: the woven trace may show more callers, never fewer.
            Assert.Equal(plainFrames[0], wovenFrames[0]);
            AssertSubsequence(plainFrames, wovenFrames);
        }
        else
        {
            Assert.Equal(plainFrames, wovenFrames);
        }

        var expected = TestFiles.MarkedLines(SourceFile())[marker];
        Assert.Equal("Lines.cs", wovenFrames[0].File);
        Assert.Equal(expected, wovenFrames[0].Line);

        // The copy really is woven: the method is trapped and a patch takes effect across contexts.
        var firstLine = woven.GetType("DebugInfo.Lines")!.GetMethod("FirstLine")!;
        Assert.True(Trap.IsTrapped(firstLine));
        Assert.False(Trap.IsTrapped(plain.GetType("DebugInfo.Lines")!.GetMethod("FirstLine")!));
        using (Trap.Patch(firstLine, new Func<int, int>(x => -x)))
            Assert.Equal(-5, firstLine.Invoke(null, new object[] { 5 }));
        Assert.Equal(11, firstLine.Invoke(null, new object[] { 5 }));
    }

    [Theory]
    [InlineData("Trapweave.DebugInfo", SymbolKind.Portable)]
    [InlineData("Trapweave.DebugInfo.Embedded", SymbolKind.Embedded)]
    public void The_woven_pdb_hides_the_prologue_and_keeps_every_visible_sequence_point(string assemblyName, SymbolKind kind)
    {
        using var dir = new TempDirectory("seqpoints");
        var log = new RecordingLog();
        var (plainPath, wovenPath) = PlainAndWoven(dir, assemblyName, log);
        Assert.Empty(log.Warnings);

        using var plain = ReadWithSymbols(plainPath);
        using var woven = ReadWithSymbols(wovenPath);
        var trappedChecked = 0;
        foreach (var plainType in plain.GetTypes())
        {
            var wovenType = woven.GetType(plainType.FullName);
            Assert.NotNull(wovenType);
            foreach (var plainMethod in plainType.Methods.Where(m => m.HasBody))
            {
                var wovenMethod = wovenType.Methods.Single(m => m.FullName == plainMethod.FullName);
                var before = plainMethod.DebugInformation.SequencePoints;
                var after = wovenMethod.DebugInformation.SequencePoints;

                // Every line a breakpoint can bind to is still there, in the same order, in the same document;
                // a trapped method has one more, its first line again, on the armed call site.
                var trapped = IsTrapped(wovenMethod);
                var expectedVisible = Visible(before);
                if (trapped && expectedVisible.Length > 0) expectedVisible = expectedVisible.Append(expectedVisible[0]).ToArray();
                Assert.Equal(expectedVisible, Visible(after));
                if (before.Count == 0 || !trapped) continue;

                // The armed call site (from loading the arguments and the flag to calling the dispatcher) is visible,
                // starting where the armed block starts (the stack is empty there), and what follows is hidden again.
                var armedPoint = after.Last(p => !p.IsHidden);
                var next = after.First(p => p.Offset > armedPoint.Offset);
                Assert.True(next.IsHidden, $"{wovenMethod.FullName}: the point after the armed call is not hidden");
                var covered = wovenMethod.Body.Instructions.Where(i => i.Offset >= armedPoint.Offset && i.Offset < next.Offset).ToArray();
                var prologueBranch = wovenMethod.Body.Instructions.First(i => i.OpCode.FlowControl == Mono.Cecil.Cil.FlowControl.Cond_Branch &&
                    i.Previous is { OpCode.Name: "ldsfld", Operand: FieldReference flag } && flag.DeclaringType.FullName == TrapTableBuilder.TypeName);
                Assert.Same(prologueBranch.Operand, covered[0]);
                Assert.Contains(covered, i => i.OpCode.Name == "ldsfld" && ((FieldReference)i.Operand).DeclaringType.FullName == TrapTableBuilder.TypeName);
                Assert.Equal("call", covered[^1].OpCode.Name);
                Assert.Equal(TrapTableBuilder.TypeName, ((MethodReference)covered[^1].Operand).DeclaringType.FullName);
                Assert.DoesNotContain(covered, i => i.OpCode.FlowControl == Mono.Cecil.Cil.FlowControl.Cond_Branch);

                // The inserted instructions are hidden from debuggers and stack traces...
                if (!wovenMethod.IsConstructor)
                {
                    Assert.Equal(0, after[0].Offset);
                    Assert.Equal(HiddenLine, after[0].StartLine);
                }
                Assert.Contains(after, p => p.IsHidden && p.Offset > before.Max(b => b.Offset));

                // ...and the method's first visible point is on the original first instruction.
                var firstBefore = before.First(p => !p.IsHidden);
                var firstAfter = after.First(p => !p.IsHidden);
                Assert.Equal(firstBefore.StartLine, firstAfter.StartLine);
                Assert.Equal(firstBefore.StartColumn, firstAfter.StartColumn);
                Assert.Equal(OpCodeAt(plainMethod, firstBefore.Offset), OpCodeAt(wovenMethod, firstAfter.Offset));
                trappedChecked++;
            }
        }
        Assert.True(trappedChecked >= 10, $"only {trappedChecked} trapped methods with sequence points were checked");

        var firstLine = woven.GetType("DebugInfo.Lines").Methods.Single(m => m.Name == "FirstLine");
        Assert.Equal(TestFiles.MarkedLines(SourceFile())["FirstLine"], firstLine.DebugInformation.SequencePoints.First(p => !p.IsHidden).StartLine);

        // The PDB kind is kept, and so is the PDB path the compiler recorded.
        Assert.Equal(kind == SymbolKind.Embedded, HasEmbeddedPdb(wovenPath));
        Assert.Equal(kind == SymbolKind.Portable, File.Exists(Path.ChangeExtension(wovenPath, ".pdb")));
        Assert.Equal(RecordedPdbPath(plainPath), RecordedPdbPath(wovenPath));
        Assert.DoesNotContain(dir.Listing(), n => n.Contains(".trapweave"));
    }

    [Theory]
    [InlineData("Trapweave.DebugInfo")]
    [InlineData("Trapweave.DebugInfo.Embedded")]
    public void While_patched_the_woven_method_frame_points_at_its_first_line(string assemblyName)
    {
        using var dir = new TempDirectory("patchedframe");
        var (plainPath, wovenPath) = PlainAndWoven(dir, assemblyName);
        using var context = new IsolatedContext("woven", Path.GetDirectoryName(wovenPath)!);
        var woven = context.LoadCopy(wovenPath);
        var lines = woven.GetType("DebugInfo.Lines")!;
        using var plainModule = ReadWithSymbols(plainPath);

        foreach (var (name, replacement) in new (string, Delegate)[]
        {
            ("Throws", new Action<int>(_ => throw new InvalidOperationException("from the replacement"))),
            ("FirstLine", new Func<int, int>(_ => throw new InvalidOperationException("from the replacement"))),
        })
        {
            var method = lines.GetMethod(name)!;
            var points = plainModule.GetType("DebugInfo.Lines").Methods.Single(m => m.Name == name)
                .DebugInformation.SequencePoints.Where(p => !p.IsHidden).ToArray();
            Exception thrown;
            using (Trap.Patch(method, replacement))
                thrown = Assert.IsType<InvalidOperationException>(Invoke(woven, name, 1));
            Assert.Equal("from the replacement", thrown.Message);

            // The innermost frame in the woven assembly is the patched method itself, on its first line.
            var frame = Frame.Of(thrown, woven)[0];
            Assert.Equal("Lines." + name, frame.Method);
            Assert.Equal("Lines.cs", frame.File);
            Assert.Equal(points[0].StartLine, frame.Line);
            if (points.Length > 1) Assert.NotEqual(points[^1].StartLine, frame.Line); // not the closing brace
        }
    }

    [Fact]
    public void An_assembly_without_symbols_stays_without_symbols()
    {
        using var dir = new TempDirectory("nosymbols");
        var path = dir.Copy(TestFiles.DebugInfo); // the assembly only, not its PDB
        var log = new RecordingLog();

        var result = AssemblyFileWeaver.WeaveFile(path, WeaverConfig.Default, log, new[] { TestFiles.RuntimeDirectory });

        Assert.Equal(FileWeaveOutcome.Woven, result.Outcome);
        Assert.Equal(SymbolKind.None, result.Symbols);
        Assert.Equal(new[] { "Trapweave.DebugInfo.dll" }, dir.Listing());
        Assert.False(HasEmbeddedPdb(path));
        Assert.Empty(log.Warnings);
    }

    [Fact]
    public void A_pdb_that_does_not_match_is_left_alone_with_a_warning()
    {
        using var dir = new TempDirectory("mismatch");
        var path = dir.Copy(TestFiles.DebugInfo);
        var pdb = Path.ChangeExtension(path, ".pdb");
        File.Copy(TestFiles.InOutput("Trapweave.StrongNamed.pdb"), pdb); // a real portable PDB, of another assembly
        var pdbBytes = File.ReadAllBytes(pdb);
        var log = new RecordingLog();

        var result = AssemblyFileWeaver.WeaveFile(path, WeaverConfig.Default, log, new[] { TestFiles.RuntimeDirectory });

        Assert.Equal(FileWeaveOutcome.Woven, result.Outcome);
        Assert.Equal(SymbolKind.None, result.Symbols);
        Assert.Contains(log.Warnings, w => w.Contains("could not read the symbols"));
        Assert.Equal(pdbBytes, File.ReadAllBytes(pdb));
    }

    internal static (string Plain, string Woven) PlainAndWoven(TempDirectory dir, string assemblyName, RecordingLog log = null)
    {
        log ??= new RecordingLog();
        var source = TestFiles.InOutput(assemblyName + ".dll");
        var plainDir = Directory.CreateDirectory(dir["plain"]).FullName;
        var wovenDir = Directory.CreateDirectory(dir["woven"]).FullName;
        var plain = CopyWithPdb(source, plainDir);
        var woven = CopyWithPdb(source, wovenDir);
        var result = AssemblyFileWeaver.WeaveFile(woven, WeaverConfig.Default, log, new[] { TestFiles.RuntimeDirectory });
        Assert.Equal(FileWeaveOutcome.Woven, result.Outcome);
        Assert.True(result.TrappedMethods > 0);
        return (plain, woven);
    }

    static string CopyWithPdb(string source, string directory)
    {
        var target = Path.Combine(directory, Path.GetFileName(source));
        File.Copy(source, target);
        var pdb = Path.ChangeExtension(source, ".pdb");
        if (File.Exists(pdb)) File.Copy(pdb, Path.ChangeExtension(target, ".pdb"));
        return target;
    }

    static bool IsJitOptimized(Assembly assembly) =>
        assembly.GetCustomAttribute<System.Diagnostics.DebuggableAttribute>()?.IsJITOptimizerDisabled != true;

    static void AssertSubsequence(Frame[] expected, Frame[] actual)
    {
        var next = 0;
        foreach (var frame in actual)
            if (next < expected.Length && frame == expected[next]) next++;
        Assert.True(next == expected.Length,
            $"woven frames lost {expected[Math.Min(next, expected.Length - 1)]}:{Environment.NewLine}{string.Join(Environment.NewLine, actual.Select(f => f.ToString()))}");
    }

    static Exception Invoke(Assembly assembly, string method, object argument)
    {
        var m = assembly.GetType("DebugInfo.Lines")!.GetMethod(method)!;
        try
        {
            var result = m.Invoke(null, new[] { argument });
            switch (result)
            {
                case Task task:
                    task.GetAwaiter().GetResult();
                    break;
                case System.Collections.IEnumerable sequence:
                    foreach (var _ in sequence) { }
                    break;
            }
        }
        catch (TargetInvocationException e)
        {
            return e.InnerException!;
        }
        catch (Exception e)
        {
            return e;
        }
        throw new Xunit.Sdk.XunitException($"{method}({argument}) did not throw");
    }

    /// <summary>The fixture source, as the unwoven PDB names it.</summary>
    static string SourceFile()
    {
        using var module = ReadWithSymbols(TestFiles.DebugInfo);
        var method = module.GetType("DebugInfo.Lines").Methods.Single(m => m.Name == "Throws");
        var path = method.DebugInformation.SequencePoints.First(p => !p.IsHidden).Document.Url;
        Assert.True(File.Exists(path), $"fixture source not found at {path}");
        return path;
    }

    internal static ModuleDefinition ReadWithSymbols(string path) =>
        ModuleDefinition.ReadModule(path, new ReaderParameters { ReadSymbols = true, InMemory = true, ThrowIfSymbolsAreNotMatching = true });

    static bool IsTrapped(MethodDefinition method) =>
        method.Body.Instructions.Any(i => i.OpCode == Mono.Cecil.Cil.OpCodes.Ldsfld && i.Operand is FieldReference f && f.DeclaringType.Name == "<Trapweave>TrapTable");

    static string[] Visible(IEnumerable<Mono.Cecil.Cil.SequencePoint> points) =>
        points.Where(p => !p.IsHidden).Select(p => $"{Path.GetFileName(p.Document.Url)}:{p.StartLine}:{p.StartColumn}-{p.EndLine}:{p.EndColumn}").ToArray();

    static string OpCodeAt(MethodDefinition method, int offset) =>
        method.Body.Instructions.Single(i => i.Offset == offset).OpCode.Name.Replace(".s", "");

    static bool HasEmbeddedPdb(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        return pe.ReadDebugDirectory().Any(e => e.Type == System.Reflection.PortableExecutable.DebugDirectoryEntryType.EmbeddedPortablePdb);
    }

    static string RecordedPdbPath(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var codeView = pe.ReadDebugDirectory().Single(e => e.Type == System.Reflection.PortableExecutable.DebugDirectoryEntryType.CodeView);
        return pe.ReadCodeViewDebugDirectoryData(codeView).Path;
    }
}
