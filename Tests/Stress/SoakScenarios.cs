using System.IO;
using System.Reflection;
using External;
using Fixtures;

namespace Trapweave.Tests.Stress;

/// <summary>
/// Every round a soak flow can run, and every member they register on (checked for being disarmed
/// at the end). Flow n runs round r's scenario (n + r) modulo their number, so at any moment all of
/// them run side by side on the same shared targets.
/// </summary>
internal static class SoakScenarios
{
    public static readonly (string Name, Func<SoakFlow, Task> Run)[] All =
    [
        (nameof(WovenScenarios.PatchStatic), WovenScenarios.PatchStatic),
        (nameof(WovenScenarios.StackedPatches), WovenScenarios.StackedPatches),
        (nameof(WovenScenarios.InstanceArrangement), WovenScenarios.InstanceArrangement),
        (nameof(WovenScenarios.GenericInstantiations), WovenScenarios.GenericInstantiations),
        (nameof(WovenScenarios.AsyncInterceptor), WovenScenarios.AsyncInterceptor),
        (nameof(WovenScenarios.AsyncPatch), WovenScenarios.AsyncPatch),
        (nameof(WovenScenarios.RecordVirtual), WovenScenarios.RecordVirtual),
        (nameof(ScopedScenarios.HelpersInAScope), ScopedScenarios.HelpersInAScope),
        (nameof(GlobalScenarios.GlobalRecorder), GlobalScenarios.GlobalRecorder),
        (nameof(RedirectedScenarios.ArrangedClock), RedirectedScenarios.ArrangedClock),
        (nameof(RedirectedScenarios.PatchedLibrary), RedirectedScenarios.PatchedLibrary),
        (nameof(RedirectedScenarios.RecordedLibrary), RedirectedScenarios.RecordedLibrary),
        (nameof(RedirectedScenarios.ArrangedFile), RedirectedScenarios.ArrangedFile),
        (nameof(RedirectedScenarios.InterceptedGuid), RedirectedScenarios.InterceptedGuid),
    ];

    /// <summary>The woven methods the scenarios register on.</summary>
    public static readonly MethodBase[] WovenTargets =
    [
        typeof(StaticMethods).GetMethod(nameof(StaticMethods.Add))!,
        typeof(StaticMethods).GetMethod(nameof(StaticMethods.Square))!,
        typeof(StaticMethods).GetMethod(nameof(StaticMethods.Factorial))!,
        typeof(StaticMethods).GetMethod(nameof(StaticMethods.Greet))!,
        typeof(Square).GetMethod(nameof(Square.Area))!,
        typeof(Square).GetMethod(nameof(Square.Name))!,
        typeof(GenericStatics).GetMethod(nameof(GenericStatics.Identity))!,
        typeof(AsyncService).GetMethod(nameof(AsyncService.GetAsync))!,
        typeof(AsyncService).GetMethod(nameof(AsyncService.StaticAsync))!,
    ];

    /// <summary>The members nobody wove that the scenarios register on (redirected, and for some also patched natively).</summary>
    public static readonly MethodBase[] RedirectedTargets =
    [
        typeof(DateTime).GetProperty(nameof(DateTime.Now))!.GetMethod!,
        typeof(Library).GetMethod(nameof(Library.Add))!,
        typeof(File).GetMethod(nameof(File.ReadAllText), [typeof(string)])!,
        typeof(Guid).GetMethod(nameof(Guid.NewGuid))!,
    ];
}
