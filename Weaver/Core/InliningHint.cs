using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Trapweave.Fody.Core;

/// <summary>
/// Keeps the JIT inlining the small methods it inlined before weaving. The JIT inlines any method of
/// at most 16 bytes of IL without weighing it (ALWAYS_INLINE_SIZE in its inlining policy); the trap
/// adds more than that, and its call out of the armed block makes the JIT's profitability estimate
/// refuse most of them, so every woven getter, operator and one-line helper became a real call
/// (measured on the corpus: docs/benchmarks.md, "Corpus: what weaving costs users"). Such methods
/// are marked <c>AggressiveInlining</c>: an inlined copy keeps its flag test, so a registration
/// still reaches calls from every caller.
/// </summary>
/// <remarks>
/// .NET leaves methods marked so out of stack traces (inlined or not), so the hint is given only
/// where it changes nothing a person reads: in an optimized module (a Debug build is never inlined,
/// and shows every frame), and not to a method that throws (the JIT does not inline those, and
/// their frame is where an exception comes from).
/// </remarks>
public sealed class InliningHint
{
    /// <summary>The JIT's always-inline size, in bytes of IL.</summary>
    public const int AlwaysInlineSize = 16;

    readonly bool _optimized;

    public InliningHint(ModuleDefinition module) => _optimized = IsOptimized(module);

    /// <summary>Whether <paramref name="method"/>, <paramref name="originalCodeSize"/> bytes of IL before weaving, gets the hint.</summary>
    public bool Applies(MethodDefinition method, int originalCodeSize) =>
        _optimized && originalCodeSize <= AlwaysInlineSize && !method.NoInlining && !method.NoOptimization && !method.IsSynchronized &&
        !method.Body.HasExceptionHandlers && !method.Body.Instructions.Any(i => i.OpCode.Code is Code.Throw or Code.Rethrow);

    /// <summary>A module the JIT optimizes: its assembly's <c>[Debuggable]</c> does not disable optimizations.</summary>
    public static bool IsOptimized(ModuleDefinition module)
    {
        var debuggable = module.Assembly?.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == "System.Diagnostics.DebuggableAttribute");
        if (debuggable is null || debuggable.ConstructorArguments.Count == 0) return true;
        var first = debuggable.ConstructorArguments[0];
        // DebuggableAttribute(DebuggingModes) or (bool isJITTrackingEnabled, bool isJITOptimizerDisabled).
        if (debuggable.ConstructorArguments.Count == 2 && first.Value is bool) return !(bool)debuggable.ConstructorArguments[1].Value;
        const int disableOptimizations = 0x100;
        return first.Value is int modes ? (modes & disableOptimizations) == 0 : true;
    }
}
