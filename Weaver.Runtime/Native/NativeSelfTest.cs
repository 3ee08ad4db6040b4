using System;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Trapweave.Internal.Native;

/// <summary>
/// Everything the native fallback assumes about the runtime's internals, checked once, on first
/// use, before any member is patched: the platform has an implementation, the MethodDesc no-inline
/// flag is where it is expected, the precode and stub shapes are the ones the code locator
/// follows, a probe method can be patched and restored, and the JIT's compileMethod slot can be
/// hooked. When one fails, the fallback is unavailable and registrations on members nobody wove
/// say why (<see cref="NativeFallback.Unavailable"/>), instead of crashing or silently not intercepting.
/// </summary>
internal static class NativeSelfTest
{
    static readonly Lazy<string?> Result = new(RunAll);

    /// <summary>
    /// For tests: one more check, run (uncached) after the real ones pass; its failure is reported
    /// like theirs. Set it only in a <c>NotInParallel</c> test and reset it in finally.
    /// </summary>
    internal static (string Check, Func<string?> Run)? Injected;

    /// <summary>Why the native fallback cannot run on this runtime (naming it and the failed check), or null.</summary>
    public static string? Failure
    {
        get
        {
            if (Result.Value is { } failure) return failure;
            return Injected is { } injected && Run(injected.Check, injected.Run) is { } injectedFailure ? injectedFailure : null;
        }
    }

    static string? RunAll() =>
        Run("the platform", () => NativePlatform.Unsupported) ??
        Run("the MethodDesc no-inline flag", () => MethodDescFlags.Unavailable) ??
        Run("the precode and stub shapes", NativePlatform.Architecture.CheckStubShapes) ??
        Run("patching and restoring a probe method", PatchRoundTrip) ??
        Run("the JIT interface slot (compileMethod)", JitHook.Install);

    static string? Run(string check, Func<string?> run)
    {
        string? failure;
        try { failure = run(); }
        catch (Exception e) { failure = $"{e.GetType().Name}: {e.Message}"; }
        return failure is null ? null : Report(check, failure);
    }

    /// <summary>The reason a user reads: the runtime, the check and what it found, and what still works.</summary>
    public static string Report(string check, string failure) =>
        $"the native fallback's self-test failed on {NativePlatform.Describe()}: {check}: {failure} " +
        "(woven and redirected calls are still intercepted)";

    /// <summary>Patches a probe to jump to another method, calls it, restores it exactly, calls it again.</summary>
    static unsafe string? PatchRoundTrip()
    {
        var probe = typeof(NativeSelfTest).GetMethod(nameof(Probe), BindingFlags.NonPublic | BindingFlags.Static)!;
        var replacement = typeof(NativeSelfTest).GetMethod(nameof(Replacement), BindingFlags.NonPublic | BindingFlags.Static)!;
        if (Probe(0) != ProbeValue) return "the probe returned a wrong value before it was patched";
        RuntimeHelpers.PrepareMethod(replacement.MethodHandle);
        var patch = NativePatch.Prepare(probe, replacement.MethodHandle.GetFunctionPointer(), NativePlatform.Architecture, NativePlatform.Writer, NativePlatform.Thunks, NativePlatform.WorldStop);
        int patched;
        patch.Apply();
        try { patched = Probe(0); }
        finally { patch.Undo(); }
        if (patched != ReplacementValue) return $"a patched probe returned {patched}, not its replacement's {ReplacementValue}";
        if (!patch.IsRestored) return "a restored probe's first bytes differ from the original ones";
        return Probe(0) == ProbeValue ? null : "a restored probe did not return its own value";
    }

    const int ProbeValue = 0x5EF7, ReplacementValue = 0x7E57;

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int Probe(int input) => input + ProbeValue;

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int Replacement(int input) => input + ReplacementValue;
}
