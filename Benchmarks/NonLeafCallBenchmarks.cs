using BenchmarkDotNet.Attributes;
using Benchmarks.Targets;
using Trapweave;

namespace Benchmarks;

/// <summary>
/// 1b. The unarmed prologue on a method whose body already needs a stack frame (it calls out), as
/// most methods do: there the prologue adds only the flag load and branch. Compare with
/// <see cref="CallBenchmarks"/> 1., a frameless leaf, where the armed block's call also forces a frame.
/// </summary>
[NoTrap]
[MemoryDiagnoser]
[SimpleJob(launchCount: 3, warmupCount: 4, iterationCount: 10)]
[IterationTime(250)]
public class NonLeafCallBenchmarks
{
    const int Calls = 32;
    int _a = 2, _b = 3;

    [GlobalSetup]
    public void Setup()
    {
        Probe.Check(Probe.FlagValue(Probe.Method(nameof(Woven.AddViaHelperUnarmed))) == 0, "AddViaHelperUnarmed's flag is 0");
        Probe.Check(Woven.AddViaHelperUnarmed(2, 3) == 5 && Plain.AddViaHelper(2, 3) == 5, "AddViaHelper(2, 3) == 5");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls, Description = "unwoven non-leaf (baseline)")]
    public int Unwoven()
    {
        int sum = 0, a = _a, b = _b;
        for (var i = 0; i < Calls; i++) sum += Plain.AddViaHelper(a + i, b);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "1b. woven non-leaf, nothing armed")]
    public int WovenNothingArmed()
    {
        int sum = 0, a = _a, b = _b;
        for (var i = 0; i < Calls; i++) sum += Woven.AddViaHelperUnarmed(a + i, b);
        return sum;
    }
}
