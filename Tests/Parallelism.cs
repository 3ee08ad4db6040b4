// At least as many parallel tests as the most that must meet at a rendezvous (ClockIsolationTests:
// three classes), whatever the machine's core count (xunit's default is one test per core).
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
