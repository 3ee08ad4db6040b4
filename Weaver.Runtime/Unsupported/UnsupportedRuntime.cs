using System.Runtime.InteropServices;

namespace Trapweave;

/// <summary>
/// Builds the exception every registration throws on a runtime before .NET 8 (.NET Framework,
/// .NET Core, .NET 5 to 7), naming the call, the runtime and the fix.
/// </summary>
internal static class UnsupportedRuntime
{
    public static TrapException Exception(string member) => new(
        $"{member} cannot work on {RuntimeInformation.FrameworkDescription}: Trapweave runs on .NET 8 and later only, " +
        "and nothing is woven for an older target framework such as .NET Framework (see build warning TRAP010). " +
        "Run the tests that use Trapweave on a .NET 8+ target framework (for example net10.0 in <TargetFrameworks>), " +
        "and leave them out of the other builds with #if NET8_0_OR_GREATER or a condition on the target framework.");
}
