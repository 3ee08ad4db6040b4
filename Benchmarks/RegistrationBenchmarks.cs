using System;
using BenchmarkDotNet.Attributes;
using Benchmarks.Targets;
using Moq;
using Trapweave;

namespace Benchmarks;

/// <summary>
/// What making and ending one registration costs (a test pays it once per arrangement), against
/// making a Moq mock with one setup in the same run. Each Trap.Patch compiles its handler into a
/// collectible dynamic assembly of its own (so its frame can be hidden from stack traces).
/// </summary>
[NoTrap]
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class RegistrationBenchmarks
{
    [Benchmark(Baseline = true, Description = "Moq: new Mock + Setup(...).Returns + .Object")]
    public object MoqSetup()
    {
        var mock = new Mock<ICalc>();
        mock.Setup(c => c.Add(It.IsAny<int>(), It.IsAny<int>())).Returns((int a, int b) => a * b);
        return mock.Object;
    }

    [Benchmark(Description = "Trap.Patch (same replacement again: cached handler) + first call + Dispose")]
    public int PatchAndDispose()
    {
        using var patch = Trap.Patch<Func<int, int, int>>(Woven.AddRegistered, (a, b) => a * b);
        return Woven.AddRegistered(2, 3);
    }

    [Benchmark(Description = "Trap.When(...).Returns + first call + Dispose")]
    public int WhenAndDispose()
    {
        using var arrangement = Trap.When(() => Woven.AddRegistered(2, 3)).Returns(6);
        return Woven.AddRegistered(2, 3);
    }
}
