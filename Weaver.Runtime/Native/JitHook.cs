using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace Trapweave.Internal.Native;

/// <summary>
/// Keeps tiered compilation from replacing a patched method's code: a hook in front of the JIT's
/// <c>compileMethod</c> (slot 0 of the object clrjit's <c>getJit()</c> returns) answers
/// <c>CORJIT_BADCODE</c> for a patched method when the tiering worker asks for a new version, and
/// the runtime keeps the code it has, patch included (../shared/design/native-detour.md). Only
/// the tiering worker is refused: an on-stack-replacement compile runs on the user's thread, and
/// refusing it throws there. Everything else is passed to the JIT unchanged.
/// </summary>
/// <remarks>
/// The object's vtable pointer is swapped for a copy whose slot 0 is the hook (the object lives in
/// clrjit's writable data; its vtable is read-only), so no code page is ever written here. The
/// hook and what it calls are compiled before it is installed: the JIT calls it for every method.
/// </remarks>
internal static unsafe class JitHook
{
    const int CorJitBadCode = unchecked((int)0x80000001);
    const int VtableSlots = 16;

    static delegate* unmanaged<IntPtr, IntPtr, IntPtr, uint, IntPtr*, uint*, int> s_compileMethod;
    // Patched methods' handles (MethodDesc pointers), copied on write: the hook reads without locking.
    static IntPtr[] s_vetoed = Array.Empty<IntPtr>();
    static readonly object Gate = new();
    static string? s_failure;
    static bool s_installed;

    /// <summary>Why the hook is not in place (null once it is): the runtime's JIT could not be found or hooked.</summary>
    public static string? Install()
    {
        lock (Gate)
        {
            if (s_installed || s_failure is not null) return s_failure;
            try
            {
                var jit = LoadJit();
                var getJit = (delegate* unmanaged<IntPtr>)NativeLibrary.GetExport(jit, "getJit");
                var compiler = getJit();
                if (compiler == IntPtr.Zero) return s_failure = "clrjit's getJit() returned null";
                var vtable = *(IntPtr**)compiler;
                // Compile the hook's path before the JIT can call it.
                RuntimeHelpers.PrepareMethod(typeof(JitHook).GetMethod(nameof(CompileMethod), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MethodHandle);
                RuntimeHelpers.PrepareMethod(typeof(JitHook).GetMethod(nameof(IsVetoed), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MethodHandle);
                RuntimeHelpers.PrepareMethod(typeof(JitHook).GetMethod(nameof(IsTieringWorker), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MethodHandle);
                _ = IsTieringWorker();
                WarmUpCallToJit();
                var copy = (IntPtr*)NativeMemory.Alloc(VtableSlots, (nuint)sizeof(IntPtr));
                for (var i = 0; i < VtableSlots; i++) copy[i] = vtable[i];
                s_compileMethod = (delegate* unmanaged<IntPtr, IntPtr, IntPtr, uint, IntPtr*, uint*, int>)vtable[0];
                copy[0] = (IntPtr)(delegate* unmanaged<IntPtr, IntPtr, IntPtr, uint, IntPtr*, uint*, int>)&CompileMethod;
                Interlocked.Exchange(ref *(IntPtr*)compiler, (IntPtr)copy);
                if (!HookSeesACompile())
                {
                    Interlocked.Exchange(ref *(IntPtr*)compiler, (IntPtr)vtable);
                    return s_failure = "the hook put in slot 0 of clrjit's getJit() object was not called with a probe's handle when the probe was compiled " +
                                       "(that slot is not compileMethod, or CORINFO_METHOD_INFO no longer starts with the method's handle); the hook was removed";
                }
                s_installed = true;
                return null;
            }
            catch (Exception e)
            {
                return s_failure = $"the JIT could not be hooked ({e.GetType().Name}: {e.Message})";
            }
        }
    }

    public static bool IsInstalled => Volatile.Read(ref s_installed);

    // The handle the hook watches for while HookSeesACompile compiles its probe, and whether it came.
    static IntPtr s_watched;
    static int s_seen;

    /// <summary>Compiles a probe method (never precompiled: AggressiveOptimization) and says whether the hook saw it.</summary>
    static bool HookSeesACompile()
    {
        var probe = typeof(JitHook).GetMethod(nameof(CompileProbe), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        Volatile.Write(ref s_watched, probe.MethodHandle.Value);
        try { RuntimeHelpers.PrepareMethod(probe.MethodHandle); }
        finally { Volatile.Write(ref s_watched, IntPtr.Zero); }
        return Volatile.Read(ref s_seen) == 1;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static int CompileProbe(int x) => x * 3 + 1;

    /// <summary>For the canary test only: let every compile through, as if there were no hook.</summary>
    internal static bool Bypass;

    /// <summary>From now on, the tiering worker gets no new code for <paramref name="method"/> (a RuntimeMethodHandle value).</summary>
    public static void Veto(IntPtr method)
    {
        lock (Gate)
        {
            if (Array.IndexOf(s_vetoed, method) >= 0) return;
            var next = new IntPtr[s_vetoed.Length + 1];
            s_vetoed.CopyTo(next, 0);
            next[^1] = method;
            Volatile.Write(ref s_vetoed, next);
        }
    }

    static IntPtr LoadJit()
    {
        var directory = RuntimeEnvironment.GetRuntimeDirectory();
        var name = OperatingSystem.IsWindows() ? "clrjit.dll" : OperatingSystem.IsMacOS() ? "libclrjit.dylib" : "libclrjit.so";
        var path = Path.Combine(directory, name);
        return NativeLibrary.Load(File.Exists(path) ? path : name);
    }

    // Fully optimized from the start (never a tier-0 version): its call to the JIT must be an inlined
    // transition, not an IL stub the JIT would have to compile from inside this very hook.
    [UnmanagedCallersOnly]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static int CompileMethod(IntPtr self, IntPtr comp, IntPtr info, uint flags, IntPtr* entry, uint* size)
    {
        // CORINFO_METHOD_INFO starts with the method's handle (its MethodDesc).
        if (*(IntPtr*)info == s_watched) s_seen = 1;
        if (!Bypass && IsVetoed(*(IntPtr*)info) && IsTieringWorker()) return CorJitBadCode;
        return CallJit(self, comp, info, flags, entry, size);
    }

    /// <summary>
    /// The call to the real compileMethod. It may need a transition stub the runtime compiles on
    /// first use, which from inside the hook would ask the hook to compile it again: so it is made
    /// once, before the hook is installed, by calling a native function of the same signature.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    static int CallJit(IntPtr self, IntPtr comp, IntPtr info, uint flags, IntPtr* entry, uint* size) =>
        s_compileMethod(self, comp, info, flags, entry, size);

    static void WarmUpCallToJit()
    {
        // A native function returning 0, from the platform check (any signature: the arguments are ignored).
        var returnZero = NativePlatform.ReturnZeroFunction;
        if (returnZero == IntPtr.Zero) throw new InvalidOperationException("the platform check wrote no function to warm the call up with");
        s_compileMethod = (delegate* unmanaged<IntPtr, IntPtr, IntPtr, uint, IntPtr*, uint*, int>)returnZero;
        RuntimeHelpers.PrepareMethod(typeof(JitHook).GetMethod(nameof(CallJit), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MethodHandle);
        if (CallJit(IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, 0, null, null) != 0) throw new InvalidOperationException("the warm-up call returned a wrong value");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static bool IsVetoed(IntPtr method)
    {
        var vetoed = Volatile.Read(ref s_vetoed);
        for (var i = 0; i < vetoed.Length; i++)
            if (vetoed[i] == method) return true;
        return false;
    }

    [ThreadStatic] static int t_worker; // 0 unknown, 1 yes, 2 no

    static bool IsTieringWorker()
    {
        if (t_worker == 0) t_worker = IsTieringName(Thread.CurrentThread.Name ?? NativeThreadName()) ? 1 : 2;
        return t_worker == 1;
    }

    // ".NET Tiered Compilation Worker"; Linux keeps 15 characters of a native thread's name.
    static bool IsTieringName(string? name) => name is not null && name.StartsWith(".NET Tiered Com", StringComparison.Ordinal);

    [DllImport("libc", EntryPoint = "prctl")]
    static extern int Prctl(int option, byte* name, nint a3, nint a4, nint a5);

    /// <summary>
    /// The OS's name for this thread (the runtime names its own threads natively). Read with a
    /// syscall, not through managed I/O: members such as File.ReadAllText may be the ones patched.
    /// </summary>
    static string? NativeThreadName()
    {
        if (!OperatingSystem.IsLinux()) return null;
        const int PrGetName = 16;
        var buffer = stackalloc byte[17];
        if (Prctl(PrGetName, buffer, 0, 0, 0) != 0) return null;
        buffer[16] = 0;
        return Marshal.PtrToStringUTF8((IntPtr)buffer);
    }
}
