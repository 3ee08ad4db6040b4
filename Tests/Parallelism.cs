// At least as many parallel tests as the most that must meet at rendezvous at once (ClockIsolationTests
// and NativeClockTests: three classes each, possibly together):
// whatever the machine's core count (xunit's default is one test per core).
[assembly: CollectionBehavior(MaxParallelThreads = 8)]

namespace Trapweave.Tests
{
    /// <summary>Test classes that must not run beside any other (xunit runs this collection after the parallel ones).</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class NotInParallel
    {
        public const string Name = "Not in parallel";
    }
}
