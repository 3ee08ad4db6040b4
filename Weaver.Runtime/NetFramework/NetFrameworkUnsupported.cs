namespace Trapweave;

/// <summary>Builds the exception every registration throws on .NET Framework, naming the call and the fix.</summary>
internal static class NetFrameworkUnsupported
{
    public static TrapException Exception(string member) => new(
        $"{member} cannot work on .NET Framework: Trapweave supports .NET 8 and later only, and nothing was woven " +
        "for this .NET Framework target (see build warning TRAP010). Run the tests that use Trapweave on a .NET 8+ " +
        "target framework (for example net10.0 in <TargetFrameworks>), and leave them out of .NET Framework builds " +
        "with #if !NETFRAMEWORK or a condition on the target framework.");
}
