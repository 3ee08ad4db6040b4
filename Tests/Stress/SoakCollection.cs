namespace Trapweave.Tests.Stress;

/// <summary>
/// The soak's own collection, not run beside other tests (xunit runs it after the parallel ones):
/// it keeps both cores busy with 64 flows for its whole duration, and checks at the end that nothing
/// is armed on targets other tests use too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoakCollection
{
    public const string Name = "Soak";
}
