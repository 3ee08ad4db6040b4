namespace Trapweave.Internal;

/// <summary>Names the weaver gives to what it generates; the weaver keeps its own copy in sync.</summary>
internal static class WovenNames
{
    /// <summary>The per-module type holding one armed flag per trapped method and the handler delegate types.</summary>
    public const string TrapTable = "<Trapweave>TrapTable";
}
