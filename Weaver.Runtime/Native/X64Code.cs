using System;
using System.Reflection;
using System.Runtime.CompilerServices;
using Iced.Intel;

namespace Trapweave.Internal.Native;

/// <summary>
/// x64 facts about compiled methods: where a method's body starts behind the runtime's stubs, and
/// the jumps a patch writes. Decoding is Iced's.
/// </summary>
internal static unsafe class X64Code
{
    /// <summary>
    /// The start of <paramref name="method"/>'s current compiled body: its entry point is a precode
    /// stub (<c>jmp [rip+x]</c>), possibly followed by a call-counting stub, then the body. A target of
    /// stub + 6 means "not compiled yet": compile it and read again.
    /// </summary>
    public static IntPtr BodyOf(MethodBase method)
    {
        RuntimeHelpers.PrepareMethod(method.MethodHandle);
        return FollowToBody(method.MethodHandle.GetFunctionPointer(), () => RuntimeHelpers.PrepareMethod(method.MethodHandle), HasValueReceiver(method)) is var body && body != IntPtr.Zero
            ? body
            : throw new TrapException($"Could not find the compiled body of {TrapTarget.Describe(method)}: more than 8 stubs in front of it.");
    }

    /// <summary>
    /// Follows the stubs from an entry point to the code they end at (zero after 8 hops); <paramref name="compile"/>
    /// when the target is not compiled yet. A value type's unboxing stub is passed (once) only for
    /// <paramref name="valueReceiver"/>: a body with the same first instructions is a tail call.
    /// </summary>
    public static IntPtr FollowToBody(IntPtr at, Action compile, bool valueReceiver = false)
    {
        var unboxing = valueReceiver;
        for (var hop = 0; hop < 8; hop++)
        {
            var next = FollowStub(at, compile, ref unboxing);
            if (next == IntPtr.Zero) return at;
            at = next;
        }
        return IntPtr.Zero;
    }

    /// <summary>Bytes of code from <paramref name="body"/> to its first return (at most 256).</summary>
    public static int CodeLength(IntPtr body)
    {
        var decoder = Decoder.Create(64, new UnsafeCodeReader(body, 256), (ulong)body);
        var length = 0;
        while (length < 256)
        {
            var instruction = decoder.Decode();
            if (instruction.IsInvalid) break;
            length += instruction.Length;
            if (instruction.FlowControl == FlowControl.Return) break;
        }
        return length;
    }

    /// <summary>Where the stub at <paramref name="at"/> jumps to, or zero when <paramref name="at"/> is a body.</summary>
    static IntPtr FollowStub(IntPtr at, Action compile, ref bool unboxing)
    {
        var decoder = Decoder.Create(64, new UnsafeCodeReader(at, 64), (ulong)at);
        var first = decoder.Decode();
        // A value type's unboxing stub (what reflection hands out for its virtual methods, and what
        // interface calls on a boxed value reach): `add this, 8`, then a jump to the method itself.
        // The patch belongs behind it, on the method, so the stub's adjustment still happens.
        if (unboxing && IsUnboxingStart(first))
        {
            unboxing = false;
            var next = decoder.Decode();
            if (next.Mnemonic == Mnemonic.Mov && next.Op0Register == Register.RAX && next.Op1Kind == OpKind.Immediate64)
            {
                var jump = decoder.Decode();
                if (jump.Mnemonic == Mnemonic.Jmp && jump.Op0Kind == OpKind.Register && jump.Op0Register == Register.RAX)
                    return (IntPtr)(long)next.Immediate64;
            }
            if (next.Mnemonic == Mnemonic.Jmp && next.Op0Kind == OpKind.Memory && next.IsIPRelativeMemoryOperand)
                return *(IntPtr*)(long)next.IPRelativeMemoryAddress;
            if (next.Mnemonic == Mnemonic.Jmp && next.Op0Kind is OpKind.NearBranch64 or OpKind.NearBranch32)
                return (IntPtr)(long)next.NearBranchTarget;
            return IntPtr.Zero;
        }
        // A stub jumps through memory within its first few instructions (a call-counting stub first
        // decrements its counter), and all it reads is its data, one stub page above it. A body can
        // start with a jump through memory too: a tail call, through the callee's precode cell
        // (optimized code) or an import cell (ReadyToRun). Following that one patched the callee
        // with the caller's twin, whose original calls the callee: a stack overflow.
        var instruction = first;
        for (var i = 0; i < 4; i++)
        {
            if (i > 0) instruction = decoder.Decode();
            if (instruction.IsIPRelativeMemoryOperand && !IsStubData(at, instruction.IPRelativeMemoryAddress)) return IntPtr.Zero;
            if (instruction.Mnemonic == Mnemonic.Jmp && instruction.Op0Kind == OpKind.Memory && instruction.IsIPRelativeMemoryOperand)
            {
                var slot = (IntPtr*)(long)instruction.IPRelativeMemoryAddress;
                var target = *slot;
                if (target == at + instruction.Length && i == 0)
                {
                    compile();
                    target = *slot;
                    // Still the precode's own fixup path, into the runtime's prestub: no body to find.
                    if (target == at + instruction.Length)
                        throw new TrapException($"The method behind the precode at {at:x} has no compiled code even after compiling it.");
                }
                return target;
            }
            if (i == 0 && !IsStubStart(instruction)) return IntPtr.Zero;
            if (instruction.FlowControl != FlowControl.Next && instruction.FlowControl != FlowControl.ConditionalBranch) return IntPtr.Zero;
        }
        return IntPtr.Zero;
    }

    static bool IsUnboxingStart(in Instruction first) =>
        first.Mnemonic == Mnemonic.Add && first.Op0Kind == OpKind.Register && IsThisRegister(first.Op0Register) &&
        first.Op1Kind is OpKind.Immediate8to64 or OpKind.Immediate32to64 or OpKind.Immediate8 && first.GetImmediate(1) == 8;

    static bool HasValueReceiver(MethodBase method) => !method.IsStatic && method.DeclaringType is { IsValueType: true };

    /// <summary>
    /// The distance from a runtime stub's code to its data: precodes and call-counting stubs live in
    /// interleaved pages, each code page followed by its data page (the runtime's thunk templates:
    /// <c>DATA_SLOT = code + STUB_PAGE_SIZE + field</c>, 4 to 64 KB depending on runtime and OS).
    /// Measured once on a precode (a method never called); zero when its shape is not the known one.
    /// </summary>
    public static readonly long StubPageSize = MeasureStubPageSize();

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void PrecodeProbe() { }

    static long MeasureStubPageSize()
    {
        try
        {
            var entry = typeof(X64Code).GetMethod(nameof(PrecodeProbe), BindingFlags.NonPublic | BindingFlags.Static)!.MethodHandle.GetFunctionPointer();
            var jump = Decoder.Create(64, new UnsafeCodeReader(entry, 16), (ulong)entry).Decode();
            if (jump.Mnemonic != Mnemonic.Jmp || jump.Op0Kind != OpKind.Memory || !jump.IsIPRelativeMemoryOperand) return 0;
            var distance = (long)jump.IPRelativeMemoryAddress - (long)entry;
            return distance is >= 4096 and <= 65536 && (distance & (distance - 1)) == 0 ? distance : 0;
        }
        catch (Exception) { return 0; }
    }

    /// <summary>Whether <paramref name="address"/> is in the data of the stub whose code is at (or just before) <paramref name="at"/>.</summary>
    static bool IsStubData(IntPtr at, ulong address)
    {
        var offset = (long)address - (long)at - StubPageSize;
        return StubPageSize != 0 && offset is >= -32 and < 32;
    }

    /// <summary>Where <c>this</c> arrives: rdi (System V), rcx (Windows).</summary>
    static bool IsThisRegister(Register register) => register == (OperatingSystem.IsWindows() ? Register.RCX : Register.RDI);

    /// <summary>
    /// The precode cell of the method <paramref name="method"/> runs, behind a value type's unboxing
    /// stub when reflection handed that out (its own precode would take calls past the stub's
    /// adjustment of <c>this</c>); null when there is none.
    /// </summary>
    public static IntPtr* MethodPrecodeSlotOf(MethodBase method)
    {
        var entry = method.MethodHandle.GetFunctionPointer();
        var unboxing = HasValueReceiver(method);
        for (var hop = 0; hop < 4; hop++)
        {
            var decoder = Decoder.Create(64, new UnsafeCodeReader(entry, 16), (ulong)entry);
            var instruction = decoder.Decode();
            if (instruction.Mnemonic == Mnemonic.Jmp && instruction.Op0Kind == OpKind.Memory && instruction.IsIPRelativeMemoryOperand &&
                IsStubData(entry, instruction.IPRelativeMemoryAddress))
            {
                var slot = (IntPtr*)(long)instruction.IPRelativeMemoryAddress;
                var target = *slot;
                var behind = Decoder.Create(64, new UnsafeCodeReader(target, 16), (ulong)target).Decode();
                if (!unboxing || !IsUnboxingStart(behind)) return slot;
                entry = FollowStub(target, () => { }, ref unboxing);
                if (entry == IntPtr.Zero) return null;
                continue;
            }
            return null;
        }
        return null;
    }

    /// <summary>The first instructions of runtime stubs: a jump through memory or a load of the counter cell.</summary>
    static bool IsStubStart(in Instruction instruction) =>
        instruction.Mnemonic == Mnemonic.Mov && instruction.Op1Kind == OpKind.Memory && instruction.IsIPRelativeMemoryOperand;

    /// <summary>
    /// Whether a 5-byte jump written at <paramref name="body"/> stays inside the method: a body whose
    /// first instructions end (return or jump away) before 5 bytes is followed by something else,
    /// unless the gap is alignment padding (<c>int3</c>).
    /// </summary>
    public static bool HasRoomForJump(IntPtr body)
    {
        var decoder = Decoder.Create(64, new UnsafeCodeReader(body, 32), (ulong)body);
        var length = 0;
        while (length < 5)
        {
            var instruction = decoder.Decode();
            if (instruction.IsInvalid) return false;
            length += instruction.Length;
            if (length >= 5) return true;
            if (instruction.FlowControl is FlowControl.Return or FlowControl.UnconditionalBranch or FlowControl.IndirectBranch)
            {
                for (var i = length; i < 5; i++)
                    if (((byte*)body)[i] != 0xCC) return false;
                return true;
            }
        }
        return true;
    }

    /// <summary><c>jmp rel32</c> from <paramref name="from"/> to <paramref name="to"/> (5 bytes); they must be within 2 GB.</summary>
    public static byte[] JumpRel32(IntPtr from, IntPtr to)
    {
        var distance = (long)to - ((long)from + 5);
        if (distance is < int.MinValue or > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(to), "A rel32 jump reaches only 2 GB.");
        var code = new byte[5];
        code[0] = 0xE9;
        BitConverter.TryWriteBytes(code.AsSpan(1), (int)distance);
        return code;
    }

    /// <summary><c>jmp [rip+0]</c> followed by the absolute target (14 bytes): a thunk that reaches anywhere and clobbers nothing.</summary>
    public static byte[] JumpAbsolute(IntPtr to)
    {
        var code = new byte[14];
        code[0] = 0xFF;
        code[1] = 0x25;
        BitConverter.TryWriteBytes(code.AsSpan(6), (long)to);
        return code;
    }

    sealed class UnsafeCodeReader : CodeReader
    {
        readonly byte* _at;
        readonly int _length;
        int _offset;

        public UnsafeCodeReader(IntPtr at, int length)
        {
            _at = (byte*)at;
            _length = length;
        }

        public override int ReadByte() => _offset < _length ? _at[_offset++] : -1;
    }
}
