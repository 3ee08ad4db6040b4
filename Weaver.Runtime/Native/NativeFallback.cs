using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Trapweave.Internal.Native;

/// <summary>
/// The native fallback: a member nobody wove gets a twin (<see cref="NativeTwinFactory"/>) indexed as
/// one more stub of it, and its compiled body jumps to that twin while any registration that can be
/// reached through it is alive (<see cref="NativePatch"/>), so calls from code nobody wove are
/// intercepted too. On by default; <c>TRAPWEAVE_NATIVE=0</c> or <see cref="Enabled"/> turn it off.
/// </summary>
internal static class NativeFallback
{
    static readonly object Gate = new();
    static readonly Dictionary<(Module, int), NativeMember> Members = new();

    /// <summary>Process-wide switch; starts from the environment (<c>TRAPWEAVE_NATIVE=0</c> turns it off).</summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("TRAPWEAVE_NATIVE") != "0";

    /// <summary>Why <paramref name="member"/> cannot be patched natively in this process, or null when it can.</summary>
    public static string? Unavailable(MethodBase member)
    {
        if (!Enabled) return "the native fallback is turned off (TRAPWEAVE_NATIVE=0 or Trap.NativeFallback = false)";
        if (NativePlatform.Unsupported is { } platform)
            return $"{platform} ({NativePlatform.Describe()}; woven and redirected calls are still intercepted)";
        // Include/Exclude left it out on purpose: it stays as the user configured it.
        if (RedirectResolver.IsWoven(member.Module.Assembly))
            return $"{member.Module.Assembly.GetName().Name} is woven and its Include/Exclude leave this method out";
        if (member is ConstructorInfo) return "constructors are not patched natively (arrange `new T(...)` through redirected call sites)";
        // Reference-type instantiations share one compiled body (__Canon), and one twin is made per
        // definition. Measured: a registration on Stack<string>.Count took no call (silently).
        if (member.IsGenericMethod || member.DeclaringType is { IsGenericType: true })
            return "it is generic, and instantiations share compiled code, so its body cannot be patched for one of them";
        if (member.IsAbstract) return "it is abstract: arrange on an instance, or on the implementing method";
        // Calls through a vtable slot or an interface dispatch cell enter a virtual method's code
        // directly, not through its precode: the jump is written with every other thread held outside
        // its bytes (NativePatch), where the platform can hold them. Measured before that: 2,000 flips
        // under 8 threads calling through the base type crashed every run.
        if (member.IsVirtual && NativePlatform.WorldStop.Unavailable is { } cannotHold)
            return $"it is virtual, and calls through its vtable slot or an interface enter its compiled code directly, so its patch must be written with every other thread held for a moment, which {cannotHold}; " +
                   "arrange the non-virtual member that calls it, or make the calls from woven code (redirected call sites)";

        // Checked before the clone: the generic "no IL" would not say what to do instead.
        if (member.MethodImplementationFlags.HasFlag(MethodImplAttributes.InternalCall))
            return $"on {RuntimeInformation.FrameworkDescription} it is implemented inside the runtime (an internal call: native code, no IL to copy as the original), " +
                   "so its code is not patched and only woven code's calls to it, through redirected call sites, can be intercepted; for calls from code nobody wove, " +
                   "arrange the woven member that makes them, or make them from woven code";
        if (IlCloner.CannotClone(member) is { } cannot) return cannot;
        if (NativeSelfTest.Failure is { } failure) return failure;
        return null;
    }

    /// <summary>Whether <paramref name="member"/>'s compiled code is patched at this moment (a registration reaching it natively is alive).</summary>
    public static bool IsPatched(MethodBase member)
    {
        lock (Gate) return Members.TryGetValue((member.Module, member.MetadataToken), out var known) && known.IsPatched;
    }

    /// <summary>The member's native twin, made and indexed on first use; null (and <paramref name="why"/>) when it cannot be patched.</summary>
    public static NativeMember? Prepare(MethodBase member, out string? why)
    {
        why = Unavailable(member);
        if (why is not null) return null;
        lock (Gate)
        {
            var key = (member.Module, member.MetadataToken);
            if (Members.TryGetValue(key, out var known)) return known;
            var twin = NativeTwinFactory.Create(member);
            var slot = Slots.SlotForMember(RedirectRoute.DefinitionOf(member));
            var stub = new RedirectStub(twin.Method, twin.Flag, twin.HandlerType, RedirectRoute.DefinitionOf(member), RedirectKind.Twin, slot);
            RedirectIndex.AddTwin(stub);
            var made = new NativeMember(member, twin);
            Members.Add(key, made);
            return made;
        }
    }
}

/// <summary>A member patched natively while <see cref="Acquire"/>s outnumber <see cref="Release"/>s.</summary>
internal sealed class NativeMember
{
    // One lock for all members: each code write makes its page writable, then read-execute again,
    // and pages are shared (two bodies, or a thunk's host method and a body). Two writes at once
    // on one page made it read-execute under the other's write: an access violation in
    // ThunkPages.Allocate, seen on .NET 9 under the whole suite.
    static readonly object CodeWrites = new();

    readonly MethodBase _member;
    readonly NativeTwinFactory.Twin _twin;
    NativePatch? _patch;
    int _users;

    public NativeMember(MethodBase member, NativeTwinFactory.Twin twin)
    {
        _member = member;
        _twin = twin;
    }

    public bool IsPatched => _patch is not null && _users > 0;

    /// <summary>Whether its patch is written with every other thread held (callers enter its code directly).</summary>
    internal bool HoldsThreads => _patch?.HoldsThreads == true;

    public void Acquire()
    {
        lock (CodeWrites)
        {
            if (_users > 0)
            {
                _users++;
                return;
            }
            // No new code for it from tiering (the patch would be lost), no inlining into later callers.
            JitHook.Veto(_member.MethodHandle.Value);
            MethodDescFlags.SetNoInlining(_member);
            _patch ??= NativePatch.Prepare(_member, _twin.Method.MethodHandle.GetFunctionPointer(), NativePlatform.Architecture, NativePlatform.Writer, NativePlatform.Thunks, NativePlatform.WorldStop);
            _patch.Apply();
            // Counted only once applied: a patch that could not be made leaves nothing to release.
            _users = 1;
        }
    }

    public void Release()
    {
        lock (CodeWrites)
        {
            if (--_users == 0) _patch?.Undo();
        }
    }
}
