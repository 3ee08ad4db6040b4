using System.Runtime.CompilerServices;

namespace External;

/// <summary>
/// A method whose whole compiled body is a tail call: optimized from its first call (and not
/// NoInlining, which would forbid the tail call), it compiles to <c>jmp [cell]</c> through
/// <see cref="Target"/>'s precode cell, the shape of a stub. Tiered-up .NET code has it too
/// (Expression.Call(Expression, MethodInfo, Expression[]) on .NET 8).
/// </summary>
public static class TailCalls
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Forward(int x) => Target(x);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Target(int x) => x + 1;
}
