using System;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Trapweave.Internal;

/// <summary>
/// Refuses a flow registration that could never be seen: one made, with no scope open, inside an
/// async test-lifecycle method that runs outside every test's scope (MSTest's class and assembly
/// initialization, when the build gave them no scope: test scopes opted out, or MSTest before 3.10).
/// An async method's AsyncLocal changes end with it, so the registration would be silently lost;
/// a loud error with the fix is better.
/// </summary>
internal static class LostRegistrations
{
    static readonly string[] OutsideTestScopes =
    {
        "Microsoft.VisualStudio.TestTools.UnitTesting.ClassInitializeAttribute",
        "Microsoft.VisualStudio.TestTools.UnitTesting.AssemblyInitializeAttribute",
    };

    /// <summary>Throws when <paramref name="registration"/> would be lost (only looked for when no scope is open).</summary>
    public static void ThrowIfLost(Registration registration)
    {
        if (registration.IsGlobal || (Registry.Flow ?? FlowState.Empty).OpenScope is not null) return;
        // Only the innermost async method counts, the one the registering code runs in, and only when
        // no task machinery stands between: an async method further out may merely have completed a
        // task whose continuation runs this code inline.
        foreach (var frame in new StackTrace(1, fNeedFileInfo: false).GetFrames())
        {
            if (IsContinuationDispatch(frame.GetMethod())) return;
            if (!IsStateMachineStep(frame.GetMethod())) continue;
            if (LifecycleOf(frame.GetMethod()) is not ({ } kickoff, { } lifecycle)) return;
            throw new TrapException(
                    $"Trap.{registration.Kind} on {registration.Subject} in the async [{lifecycle}] method {TrapTarget.Describe(kickoff)} would be lost: " +
                    $"this build gave [{lifecycle}] no scope (Trapweave's test scopes are off, <TrapweaveTestScopes>false</TrapweaveTestScopes>, or MSTest is older than 3.10), and what an async method registers never reaches its caller. " +
                $"Turn the test scopes on (MSTest 3.10 or later), make {kickoff.Name} synchronous (what it registers then reaches the tests it initializes), or register in [TestInitialize] or in the test.");
        }
    }

    /// <summary>The async lifecycle method (and its attribute's short name) whose state machine runs <paramref name="frame"/>, else nulls.</summary>
    static (MethodBase? Kickoff, string? Lifecycle) LifecycleOf(MethodBase? frame)
    {
        try
        {
            if (KickoffOf(frame) is not { } kickoff) return (null, null);
            foreach (var attribute in kickoff.GetCustomAttributesData())
                if (Array.IndexOf(OutsideTestScopes, attribute.AttributeType.FullName) >= 0)
                    return (kickoff, attribute.AttributeType.Name.Replace("Attribute", ""));
        }
        catch (Exception e) when (e is TypeLoadException or System.IO.FileNotFoundException or NotSupportedException or MemberAccessException)
        {
            // Frames of code whose metadata cannot be read (a missing dependency) are not ours to judge.
        }
        return (null, null);
    }

    static bool IsContinuationDispatch(MethodBase? frame) =>
        frame?.DeclaringType is { } type && (type.Namespace == "System.Threading.Tasks" || type == typeof(System.Threading.ExecutionContext));

    static bool IsStateMachineStep(MethodBase? frame) =>
        frame is { Name: "MoveNext" } && frame.DeclaringType is { } machine && typeof(IAsyncStateMachine).IsAssignableFrom(machine);

    /// <summary>The async method whose state machine's MoveNext <paramref name="frame"/> is, else null.</summary>
    static MethodBase? KickoffOf(MethodBase? frame)
    {
        if (!IsStateMachineStep(frame) || frame!.DeclaringType!.DeclaringType is not { } owner) return null;
        var machine = frame.DeclaringType;
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var method in owner.GetMethods(all))
            foreach (var attribute in method.GetCustomAttributesData())
                if (attribute.AttributeType == typeof(AsyncStateMachineAttribute) && attribute.ConstructorArguments is [{ Value: Type type }] && type == machine)
                    return method;
        return null;
    }
}
