using System;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace Trapweave.Internal.Native;

/// <summary>
/// Thunks a patch jumps to, within reach of the patched code (x64: 2 GB, so a 5-byte <c>jmp rel32</c> reaches
/// them), never freed (a thread may still be running one). Preferably a page of their own in a free
/// gap near the code (mapped read-write, written, sealed read-execute: never writable and
/// executable at once); the runtime often reserves all the space around its code, and then the
/// thunk is written over the code of a method compiled only to host it, in the runtime's own code
/// heap, which is within reach of all managed code.
/// </summary>
internal sealed unsafe class ThunkPages
{
    readonly ICodeWriter _writer;
    readonly IArchitecture _architecture;
    readonly int _pageSize = Environment.SystemPageSize;
    static int s_hosts;

    public ThunkPages(ICodeWriter writer, IArchitecture architecture)
    {
        _writer = writer;
        _architecture = architecture;
    }

    public IntPtr Allocate(IntPtr near, ReadOnlySpan<byte> code)
    {
        var page = _writer.AllocateThunkPageNear(near, _pageSize);
        if (page != IntPtr.Zero && Reaches(page, near))
        {
            code.CopyTo(new Span<byte>((void*)page, code.Length));
            _writer.Seal(page, _pageSize);
            return page;
        }
        var host = HostMethodBody(code.Length, _architecture);
        if (!Reaches(host, near))
            throw new TrapException($"Could not place a native thunk within 2 GB of {near:x} (nearest code heap: {host:x}).");
        lock (NativePatch.WriteGate) _writer.Write(host, code);
        return host;
    }

    bool Reaches(IntPtr at, IntPtr near) => Math.Abs((long)at - (long)near) < _architecture.NearJumpReach - _pageSize;

    /// <summary>The compiled body of a new method long enough to be overwritten with <paramref name="length"/> bytes.</summary>
    static IntPtr HostMethodBody(int length, IArchitecture architecture)
    {
        var id = System.Threading.Interlocked.Increment(ref s_hosts);
        var method = new DynamicMethod("TrapweaveThunkHost" + id, typeof(int), new[] { typeof(int) }, typeof(ThunkPages).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        var keep = typeof(ThunkPages).GetMethod(nameof(Keep), BindingFlags.NonPublic | BindingFlags.Static)!;
        // Calls the JIT cannot remove: each is at least 5 bytes of code.
        il.Emit(OpCodes.Ldarg_0);
        for (var i = 0; i < 4; i++) il.Emit(OpCodes.Call, keep);
        il.Emit(OpCodes.Ret);
        var invoke = (Func<int, int>)method.CreateDelegate(typeof(Func<int, int>));
        invoke(0);
        var descriptor = typeof(DynamicMethod).GetMethod("GetMethodDescriptor", BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new TrapException("Cannot host a native thunk: DynamicMethod.GetMethodDescriptor is missing on this runtime.");
        var handle = (RuntimeMethodHandle)descriptor.Invoke(method, null)!;
        var body = architecture.FollowToBody(handle.GetFunctionPointer(), () => RuntimeHelpers.PrepareMethod(handle));
        if (architecture.CodeLength(body) < length)
            throw new TrapException("Cannot host a native thunk: the host method compiled shorter than the thunk.");
        s_hostsAlive.Add(invoke);
        return body;
    }

    // The host methods' delegates stay alive (their code must never be freed).
    static readonly System.Collections.Concurrent.ConcurrentBag<Delegate> s_hostsAlive = new();

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int Keep(int x) => x;
}
