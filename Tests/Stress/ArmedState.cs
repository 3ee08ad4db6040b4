using System.Reflection;
using Trapweave.Internal;
using Trapweave.Internal.Native;

namespace Trapweave.Tests.Stress;

/// <summary>
/// What is still armed on a set of targets: a woven method's flag, a redirected member's stubs (in
/// every module, its native twin included) and its slot's live count, and a natively patched body.
/// </summary>
internal static class ArmedState
{
    public static List<string> Of(IEnumerable<MethodBase> woven, IEnumerable<MethodBase> redirected)
    {
        var armed = new List<string>();
        foreach (var method in woven)
        {
            if (!IlScanner.TryFindTrap(method, out var flag, out _))
            {
                armed.Add($"{TrapTarget.Describe(method)} is not woven: the soak's target list is wrong");
                continue;
            }
            var slot = (int)flag!.GetValue(null)!;
            if (slot != 0) armed.Add($"{TrapTarget.Describe(method)}: flag set (slot {slot}, {Slots.LiveCount(slot)} live registrations)");
        }
        foreach (var member in redirected)
        {
            var stubs = RedirectIndex.For(RedirectRoute.DefinitionOf(member));
            if (stubs.Count == 0) armed.Add($"{TrapTarget.Describe(member)} has no redirect stub: the soak's target list is wrong");
            foreach (var stub in stubs)
            {
                if ((int)stub.Flag.GetValue(null)! != 0) armed.Add($"{stub}: flag set");
                if (Slots.LiveCount(stub.Slot) is var live and not 0) armed.Add($"{stub}: {live} live registrations");
            }
            if (NativeFallback.IsPatched(member)) armed.Add($"{TrapTarget.Describe(member)}: its compiled code is still patched");
        }
        return armed.Distinct().ToList();
    }
}
