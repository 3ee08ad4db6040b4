using System.Diagnostics;
using System.IO;
using System.Runtime;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Trapweave.Tests.Corpus.Support;
using Trapweave.Tests.Weaving.Support;

namespace Trapweave.Benchmarks.Corpus;

/// <summary>
/// One workload over one copy of the corpus, in this (fresh) process: what a user's test run
/// feels. First the time to the first result and the JIT's totals at that point (this tool's own
/// start-up included, the same for either copy); then steady state: iterations after a warm-up,
/// each timed, the median reported. Over a woven copy, steady state again with a pass-through
/// interceptor (counts its calls, changes nothing) registered on every woven method of the
/// workload's libraries that a registration can name, registered before the timed part.
/// </summary>
public static class RunCommand
{
    public static int Run(Options options, long mainStarted)
    {
        var folder = options.Directory("--folder");
        var name = options.Required("--workload");
        var quick = options.Has("--quick");
        var warmup = TimeSpan.FromSeconds(options.Number("--warmup-seconds", quick ? 0.2 : 1.5));
        var measure = TimeSpan.FromSeconds(options.Number("--measure-seconds", quick ? 0.3 : 1.5));
        var minimum = quick ? 3 : 10;
        var workloadFile = Path.Combine(folder, CorpusLibrary.WorkloadAssembly + ".dll");
        if (!File.Exists(workloadFile)) throw new UsageException($"{folder} holds no {CorpusLibrary.WorkloadAssembly}.dll: give a folder made by 'prepare'");

        var native = Path.Combine(folder, "runtimes", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "native");
        // Not collectible: the runtime tiers (Tier0, then Tier1 with dynamic PGO) only code outside collectible contexts, as a test run's is.
        using var context = new IsolatedContext("corpus", folder, native, collectible: false);
        var workloads = new Workloads(context.LoadCopy(workloadFile));

        var first = workloads.Run(name);
        var firstDone = Stopwatch.GetElapsedTime(mainStarted);
        var firstUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var jit = (Time: JitInfo.GetCompilationTime(currentThread: false), Methods: JitInfo.GetCompiledMethodCount(currentThread: false), IL: JitInfo.GetCompiledILBytes(currentThread: false));

        var steady = Steady(() => workloads.Run(name), first, warmup, measure, minimum);

        var libraries = workloads.Libraries(name);
        var (methods, generic) = (new List<System.Reflection.MethodBase>(), 0);
        foreach (var library in libraries)
        {
            var found = WovenMethods.Of(context.LoadCopy(Path.Combine(folder, library + ".dll")));
            methods.AddRange(found.Methods);
            generic += found.GenericLeftOut;
        }

        object passThrough = null;
        if (methods.Count > 0 && !options.Has("--skip-pass-through"))
        {
            long calls = 0;
            var watch = Stopwatch.StartNew();
            var registrations = methods.Select(m => Trap.Intercept(m, before: _ => Interlocked.Increment(ref calls))).ToList();
            var registerMs = watch.Elapsed.TotalMilliseconds;
            var callsBefore = Interlocked.Read(ref calls);
            var once = workloads.Run(name);
            var callsPerRun = Interlocked.Read(ref calls) - callsBefore;
            var measured = Steady(() => workloads.Run(name), first, warmup, measure, minimum);
            foreach (var registration in registrations) registration.Dispose();
            passThrough = new
            {
                Interceptors = registrations.Count,
                GenericDefinitionsLeftOut = generic,
                RegisterMs = registerMs,
                InterceptedCallsPerRun = callsPerRun,
                FirstRunSame = Same(first, once),
                measured.Iterations,
                measured.MedianMs,
                measured.MinMs,
                measured.MaxMs,
                measured.RunsDiffering,
                measured.JitMethodsDuring,
            };
        }

        Json.Line(new
        {
            Workload = name,
            Folder = folder,
            Libraries = libraries,
            WovenMethods = methods.Count,
            Results = first.Count,
            ResultsSha256 = Hash(first),
            FirstResultMs = firstDone.TotalMilliseconds,
            FirstResultUnixMs = firstUnixMs,
            JitMs = jit.Time.TotalMilliseconds,
            JitMethods = jit.Methods,
            JitIlBytes = jit.IL,
            Steady = steady,
            PassThrough = passThrough,
        });
        return 0;
    }

    public sealed record SteadyState(int Iterations, double MedianMs, double MinMs, double MaxMs, int RunsDiffering, long JitMethodsDuring);

    /// <summary>Warm-up runs, then timed ones, each at least <paramref name="minimum"/> times and for at least the given time.</summary>
    static SteadyState Steady(Func<SortedDictionary<string, string>> run, SortedDictionary<string, string> expected, TimeSpan warmup, TimeSpan measure, int minimum)
    {
        var differing = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < minimum || clock.Elapsed < warmup; i++)
            if (!Same(expected, run())) differing++;

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var jitBefore = JitInfo.GetCompiledMethodCount(currentThread: false);
        var times = new List<double>();
        clock.Restart();
        while (times.Count < minimum || clock.Elapsed < measure)
        {
            var start = Stopwatch.GetTimestamp();
            var results = run();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            // Compared outside the timed part.
            if (!Same(expected, results)) differing++;
        }
        return new SteadyState(times.Count, WeaveTimeCommand.Median(times), times.Min(), times.Max(), differing, JitInfo.GetCompiledMethodCount(currentThread: false) - jitBefore);
    }

    static bool Same(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual) => expected.SequenceEqual(actual);

    /// <summary>The results, hashed: equal hashes over the plain and the woven copy mean identical results.</summary>
    static string Hash(SortedDictionary<string, string> results)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in results) text.Append(key).Append('\0').Append(value).Append('\0');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
