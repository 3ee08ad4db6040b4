using System.Reflection;
using Fixtures.Redirects;
using Trapweave.Internal;

namespace Trapweave.Tests.Redirect.Support;

/// <summary>
/// A check made before calling a member whose real body must never run in a test (it exits the
/// process, sleeps for hours, waits for console input): the fixture's stubs of it are armed.
/// </summary>
internal static class FixtureArming
{
    public static void AssertArmed(MethodBase member)
    {
        var stubs = RedirectIndex.For(RedirectRoute.DefinitionOf(member))
            .Where(s => s.Assembly == typeof(DefaultSetCalls).Assembly)
            .ToList();
        Assert.True(stubs.Count > 0, $"the fixture has no redirect stub of {member.DeclaringType!.Name}.{member.Name}");
        foreach (var stub in stubs)
            Assert.True((int)stub.Flag.GetValue(null)! != 0, $"{stub} is not armed");
    }
}
