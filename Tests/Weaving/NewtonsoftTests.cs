using System.Diagnostics;
using System.IO;
using System.Linq.Expressions;
using System.Reflection;
using Trapweave.Fody.Core;
using Trapweave.Tests.Weaving.Support;
using Xunit.Abstractions;

namespace Trapweave.Tests.Weaving;

/// <summary>
/// Newtonsoft.Json 13.0.3, a large real-world library, copied twice and one copy woven as a file with
/// a given configuration; each copy in its own load context, shared by the tests of a class.
/// </summary>
public abstract class NewtonsoftCopies : IDisposable
{
    readonly TempDirectory _dir;
    readonly IsolatedContext _plainContext;
    readonly IsolatedContext _wovenContext;

    protected NewtonsoftCopies(string name, WeaverConfig config)
    {
        _dir = new TempDirectory(name);
        var plainPath = Path.Combine(Directory.CreateDirectory(_dir["plain"]).FullName, "Newtonsoft.Json.dll");
        var wovenPath = Path.Combine(Directory.CreateDirectory(_dir["woven"]).FullName, "Newtonsoft.Json.dll");
        File.Copy(TestFiles.NewtonsoftJson, plainPath);
        File.Copy(TestFiles.NewtonsoftJson, wovenPath);

        Log = new RecordingLog();
        Result = AssemblyFileWeaver.WeaveFile(wovenPath, config, Log, new[] { TestFiles.RuntimeDirectory });

        _plainContext = new IsolatedContext(name + "-plain", Path.GetDirectoryName(plainPath)!);
        _wovenContext = new IsolatedContext(name + "-woven", Path.GetDirectoryName(wovenPath)!);
        Plain = new NewtonsoftApi(_plainContext.LoadCopy(plainPath));
        Woven = new NewtonsoftApi(_wovenContext.LoadCopy(wovenPath));
    }

    public FileWeaveResult Result { get; }
    public RecordingLog Log { get; }
    public NewtonsoftApi Plain { get; }
    public NewtonsoftApi Woven { get; }

    public void Dispose()
    {
        _plainContext.Dispose();
        _wovenContext.Dispose();
        _dir.Dispose();
    }
}

/// <summary>The copies with the default configuration (what a user gets).</summary>
public sealed class WovenNewtonsoft : NewtonsoftCopies
{
    public WovenNewtonsoft() : base("newtonsoft", WeaverConfig.Default) { }
}

public class NewtonsoftTests : IClassFixture<WovenNewtonsoft>
{
    readonly WovenNewtonsoft _newtonsoft;
    readonly ITestOutputHelper _output;

    public NewtonsoftTests(WovenNewtonsoft newtonsoft, ITestOutputHelper output)
    {
        _newtonsoft = newtonsoft;
        _output = output;
    }

    [Fact]
    public void It_is_woven_throughout_and_keeps_its_identity()
    {
        var result = _newtonsoft.Result;
        _output.WriteLine(result.ToString());
        foreach (var warning in _newtonsoft.Log.Warnings.Take(20)) _output.WriteLine("warning: " + warning);

        Assert.Equal(FileWeaveOutcome.Woven, result.Outcome);
        Assert.InRange(result.TrappedMethods, 2000, 100_000);
        // The default redirect set is on: Newtonsoft.Json's own calls to the clock and the file system go through stubs.
        Assert.InRange(result.RedirectedCallSites, 1, 100_000);
        Assert.Equal(StrongNameOutcome.PublicKeyKept, result.StrongName);
        Assert.Empty(_newtonsoft.Log.Errors);
        Assert.Equal(_newtonsoft.Plain.Assembly.GetName().FullName, _newtonsoft.Woven.Assembly.GetName().FullName);

        var writeValue = _newtonsoft.Woven.Type("Newtonsoft.Json.JsonTextWriter").GetMethod("WriteValue", new[] { typeof(string) })!;
        Assert.True(Trap.IsTrapped(writeValue));
    }

    [Fact]
    public void Every_method_of_the_woven_copy_compiles()
    {
        var watch = Stopwatch.StartNew();
        var woven = MethodPreparer.PrepareAll(_newtonsoft.Woven.Assembly);
        var wovenTime = watch.Elapsed;
        watch.Restart();
        var plain = MethodPreparer.PrepareAll(_newtonsoft.Plain.Assembly);
        _output.WriteLine($"woven: {woven.Prepared} methods JIT-compiled in {wovenTime.TotalMilliseconds:F0} ms, {woven.NoInstantiation} generic without instantiation, {woven.Failures.Count} failures");
        _output.WriteLine($"plain: {plain.Prepared} methods JIT-compiled in {watch.Elapsed.TotalMilliseconds:F0} ms, {plain.NoInstantiation} generic without instantiation, {plain.Failures.Count} failures");
        foreach (var failure in woven.Failures.Take(20)) _output.WriteLine("woven failure: " + failure);

        Assert.InRange(woven.Prepared, 2000, 100_000);
        Assert.Equal(0, woven.InvalidProgram);
        // Nothing fails woven that does not fail unwoven: the same methods compile, the same way.
        Assert.Equal(plain.Failures, woven.Failures);
        // Plus the two stubs (inline and armed) of each redirected member, and the handler shapes' dispatchers.
        Assert.Equal(plain.Prepared + 2 * _newtonsoft.Result.RedirectedMembers + MethodPreparer.Dispatchers(_newtonsoft.Woven.Assembly), woven.Prepared);
    }

    [Fact]
    public void A_serialization_workload_gives_the_same_output_woven_and_unwoven()
    {
        var plain = JsonWorkload.Run(_newtonsoft.Plain);
        var woven = JsonWorkload.Run(_newtonsoft.Woven);

        AssertSameOutputs(plain, woven);
        Assert.Equal(plain["graph/auto-indented"], plain["graph/round-trip"]);
        Assert.Contains("\"$type\": \"Trapweave.Tests.Weaving.Support.Json.Dog, Trapweave.Tests\"", plain["graph/auto-indented"]);
        Assert.Equal("Cat,Dog;Dog", plain["graph/round-trip-types"]);
    }

    [Fact]
    public async Task The_workload_gives_the_same_output_while_the_woven_copy_is_patched_in_another_flow()
    {
        var json = _newtonsoft.Woven;
        var expected = JsonWorkload.Run(_newtonsoft.Plain);

        // Patches for another flow: every string value written, and the one-argument SerializeObject.
        var writerType = json.Type("Newtonsoft.Json.JsonTextWriter");
        var writeValue = writerType.GetMethod("WriteValue", new[] { typeof(string) })!;
        var writer = Expression.Parameter(writerType, "writer");
        var value = Expression.Parameter(typeof(string), "value");
        var writeRaw = writerType.GetMethod("WriteRawValue", new[] { typeof(string) })!;
        var patchedWriteValue = Expression.Lambda(Expression.GetActionType(writerType, typeof(string)),
            Expression.Call(writer, writeRaw, Expression.Constant("\"PATCHED\"")), writer, value).Compile();
        var serializeObject = json.JsonConvert.GetMethod("SerializeObject", new[] { typeof(object) })!;

        var armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var otherFlow = Task.Run(async () =>
        {
            using var writes = Trap.Patch(writeValue, patchedWriteValue);
            using var serializes = Trap.Patch(serializeObject, new Func<object, string>(o => "patched:" + o));
            AssertPatched(json);
            armed.SetResult();

            // Keep using the patches while the main flow runs its workload, until released.
            var rounds = 0;
            while (!release.Task.IsCompleted && rounds < 500)
            {
                AssertPatched(json);
                rounds++;
                await Task.Yield();
            }
            await release.Task;
            AssertPatched(json); // still armed after the whole workload ran elsewhere
            return rounds;
        });

        await Task.WhenAny(armed.Task, otherFlow);
        if (otherFlow.IsCompleted) await otherFlow; // it failed before arming: show why
        SortedDictionary<string, string> actual;
        try
        {
            actual = JsonWorkload.Run(json);
        }
        finally
        {
            release.SetResult();
        }
        var rounds = await otherFlow;
        _output.WriteLine($"the other flow ran {rounds} patched rounds while the workload ran");

        AssertSameOutputs(expected, actual);
        // And once the other flow has disposed its patches, nobody sees them.
        Assert.Equal("[\"x\"]", json.Serialize(new[] { "x" }, json.NoFormatting));
        Assert.Equal("7", json.Serialize(7));
    }

    static void AssertPatched(NewtonsoftApi json)
    {
        Assert.Equal("[\"PATCHED\",\"PATCHED\"]", json.Serialize(new[] { "a", "b" }, json.NoFormatting));
        Assert.Equal("patched:42", json.Serialize(42));
    }

    void AssertSameOutputs(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        Assert.True(expected.Count >= 20, $"only {expected.Count} outputs");
        foreach (var (name, text) in expected)
        {
            Assert.False(string.IsNullOrEmpty(text), name + " is empty");
            Assert.True(text == actual[name], $"{name} differs woven:{Environment.NewLine}{actual[name]}{Environment.NewLine}unwoven:{Environment.NewLine}{text}");
        }
        _output.WriteLine($"{expected.Count} outputs, {expected.Values.Sum(v => v.Length)} characters, identical");
    }
}
