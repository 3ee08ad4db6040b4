using System;
using System.Reflection;
using System.Runtime.CompilerServices;
using Iced.Intel;

namespace Trapweave.Internal.Native;

/// <summary>
/// x64 facts about compiled methods: where a method's body starts behind the runtime's stubs, the
/// shapes of those stubs (checked once before anything is written), and the jumps a patch writes.
/// Decoding is Iced's. The only OS difference is the register <c>this</c> arrives in.
/// </summary>
internal sealed unsafe class X64Code : IArchitecture
{
    /// <summary>rcx on Windows, rdi on System V (Linux, macOS).</summary>
    readonly Register _thisRegister;

    public X64Code(bool windowsAbi) => _thisRegister = windowsAbi ? Register.RCX : Register.RDI;

    /// <summary>
    /// The start of <paramref name="method"/>'s current compiled body: its entry point is a precode
    /// stub (<c>jmp [rip+x]</c>), possibly followed by a call-counting stub, then the body. A target of
    /// stub + 6 means "not compiled yet": compile it and read again.
    /// </summary>
    public IntPtr BodyOf(MethodBase method)
    {
        RuntimeHelpers.PrepareMethod(method.MethodHandle);
        return FollowToBody(method.MethodHandle.GetFunctionPointer(), () => RuntimeHelpers.PrepareMethod(method.MethodHandle), HasValueReceiver(method)) is var body && body != IntPtr.Zero
            ? body
            : throw new TrapException($"Could not find the compiled body of {TrapTarget.Describe(method)}: more than 8 stubs in front of it.");
    }

    /// <summary>Follows the stubs from an entry point to the code they end at (zero after 8 hops); <paramref name="compile"/> when the target is not compiled yet.</summary>
    public IntPtr FollowToBody(IntPtr at, Action compile) => FollowToBody(at, compile, valueReceiver: false);

    /// <summary>
    /// <see cref="FollowToBody(IntPtr, Action)"/>; a value type's unboxing stub is passed (once) only
    /// for <paramref name="valueReceiver"/>: elsewhere a body with the same first instructions is a tail call.
    /// </summary>
    public IntPtr FollowToBody(IntPtr at, Action compile, bool valueReceiver)
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
    public int CodeLength(IntPtr body)
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
    IntPtr FollowStub(IntPtr at, Action compile, ref bool unboxing)
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
            if (IsJumpThroughMemory(instruction))
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

    bool IsUnboxingStart(in Instruction first) =>
        first.Mnemonic == Mnemonic.Add && first.Op0Kind == OpKind.Register && first.Op0Register == _thisRegister &&
        first.Op1Kind is OpKind.Immediate8to64 or OpKind.Immediate32to64 or OpKind.Immediate8 && first.GetImmediate(1) == 8;

    static bool IsJumpThroughMemory(in Instruction instruction) =>
        instruction.Mnemonic == Mnemonic.Jmp && instruction.Op0Kind == OpKind.Memory && instruction.IsIPRelativeMemoryOperand;

    /// <summary>
    /// The cells of the fixup precode at <paramref name="entry"/>: <c>jmp [rip+target]</c>,
    /// <c>mov r10, [rip+methodDesc]</c>, <c>jmp [rip+fixup]</c> (.NET 7 and later); null when the
    /// code there has another shape.
    /// </summary>
    public static FixupPrecode? FixupPrecodeAt(IntPtr entry)
    {
        var decoder = Decoder.Create(64, new UnsafeCodeReader(entry, 32), (ulong)entry);
        var jump = decoder.Decode();
        var load = decoder.Decode();
        var fixup = decoder.Decode();
        if (!IsJumpThroughMemory(jump) || jump.Length != 6) return null;
        if (!(load.Mnemonic == Mnemonic.Mov && load.Op0Register == Register.R10 && load.Op1Kind == OpKind.Memory && load.IsIPRelativeMemoryOperand)) return null;
        if (!IsJumpThroughMemory(fixup)) return null;
        return new FixupPrecode((IntPtr*)(long)jump.IPRelativeMemoryAddress, (IntPtr*)(long)load.IPRelativeMemoryAddress);
    }

    /// <summary>The two cells of a fixup precode: the current target, and the method desc it belongs to.</summary>
    public readonly struct FixupPrecode
    {
        public FixupPrecode(IntPtr* target, IntPtr* methodDesc)
        {
            Target = target;
            MethodDesc = methodDesc;
        }

        public IntPtr* Target { get; }
        public IntPtr* MethodDesc { get; }
    }

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

    /// <summary>
    /// The precode cell of the method <paramref name="method"/> runs, behind a value type's unboxing
    /// stub when reflection handed that out (its own precode would take calls past the stub's
    /// adjustment of <c>this</c>); null when it has none (its entry point is its code).
    /// </summary>
    public IntPtr* PrecodeSlotOf(MethodBase method)
    {
        var entry = method.MethodHandle.GetFunctionPointer();
        var unboxing = HasValueReceiver(method);
        for (var hop = 0; hop < 4; hop++)
        {
            var first = Decoder.Create(64, new UnsafeCodeReader(entry, 16), (ulong)entry).Decode();
            // Not a stub (a jump through its own data page): the entry point is the code itself.
            if (!IsJumpThroughMemory(first) || !IsStubData(entry, first.IPRelativeMemoryAddress)) return null;
            // The cell is written (pointed at the thunk, then back): it must be a precode's, whose
            // method-desc cell says whose it is, or the write would redirect some other stub.
            if (FixupPrecodeAt(entry) is not { } precode)
                throw new TrapException($"Cannot patch {TrapTarget.Describe(method)} natively: the stub at its entry point ({entry:x}) is not a fixup precode (jmp [rip+x]; mov r10, [rip+y]; jmp [rip+z]) on {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, so nothing was written.");
            if (hop == 0 && *precode.MethodDesc != method.MethodHandle.Value)
                throw new TrapException($"Cannot patch {TrapTarget.Describe(method)} natively: the precode at its entry point ({entry:x}) belongs to another method (method desc {*precode.MethodDesc:x}, expected {method.MethodHandle.Value:x}), so nothing was written.");
            var target = *precode.Target;
            var behind = Decoder.Create(64, new UnsafeCodeReader(target, 16), (ulong)target).Decode();
            if (!unboxing || !IsUnboxingStart(behind)) return precode.Target;
            entry = FollowStub(target, () => { }, ref unboxing);
            if (entry == IntPtr.Zero) return null;
        }
        return null;
    }

    /// <summary>The first instructions of runtime stubs: a jump through memory or a load of the counter cell.</summary>
    static bool IsStubStart(in Instruction instruction) =>
        instruction.Mnemonic == Mnemonic.Mov && instruction.Op1Kind == OpKind.Memory && instruction.IsIPRelativeMemoryOperand;

    /// <summary>
    /// Checks on probe methods what <see cref="BodyOf"/> and <see cref="PrecodeSlotOf"/> rely on: a
    /// method's entry point is a fixup precode carrying its method desc, whose target is the precode
    /// + 6 until the method is compiled and then leads to a body that is no stub and has room for
    /// the patch's jump; a value type's virtual method as reflection hands it out leads through an
    /// unboxing stub to the method's own precode.
    /// </summary>
    public string? CheckStubShapes()
    {
        if (StubPageSize == 0)
            return "the runtime's precode stubs do not have the known shape (a jump through a data page 4 to 64 KB above them), so a method's compiled body cannot be told from them";
        var probe = typeof(X64Code).GetMethod(nameof(UncompiledProbe), BindingFlags.NonPublic | BindingFlags.Static)!;
        var entry = probe.MethodHandle.GetFunctionPointer();
        if (FixupPrecodeAt(entry) is not { } precode)
            return $"a method's entry point ({entry:x}) is not a fixup precode (jmp [rip+x]; mov r10, [rip+y]; jmp [rip+z]): it starts {Describe(entry)}";
        if (*precode.MethodDesc != probe.MethodHandle.Value)
            return $"a method's fixup precode carries method desc {*precode.MethodDesc:x}, not the method's {probe.MethodHandle.Value:x}";
        var before = *precode.Target;
        RuntimeHelpers.PrepareMethod(probe.MethodHandle);
        var after = *precode.Target;
        if (after == entry + 6)
            return $"a compiled method's precode still points at its own fixup (before compiling: {(before == entry + 6 ? "the fixup" : $"{before:x}")})";
        var body = BodyOf(probe);
        var noUnboxing = false;
        if (body == entry || FollowStub(body, () => { }, ref noUnboxing) != IntPtr.Zero)
            return $"following a method's precode did not end at a body (at {body:x}: {Describe(body)})";
        if (!HasRoomForJump(body)) return $"a compiled method's body has no room for a 5-byte jump ({Describe(body)})";

        // A value type's virtual method: reflection's entry leads to an unboxing stub, then the method.
        var structProbe = typeof(ValueProbe).GetMethod(nameof(ValueProbe.ToString), Type.EmptyTypes)!;
        RuntimeHelpers.PrepareMethod(structProbe.MethodHandle);
        var structEntry = structProbe.MethodHandle.GetFunctionPointer();
        if (FixupPrecodeAt(structEntry) is not { } structPrecode)
            return $"a value type's virtual method's entry point is not a fixup precode: it starts {Describe(structEntry)}";
        var stub = *structPrecode.Target;
        var stubStart = Decoder.Create(64, new UnsafeCodeReader(stub, 16), (ulong)stub).Decode();
        if (IsUnboxingStart(stubStart))
        {
            var unboxing = true;
            var method = FollowStub(stub, () => { }, ref unboxing);
            if (method == IntPtr.Zero || FixupPrecodeAt(method) is not { } own)
                return $"an unboxing stub does not jump to a fixup precode ({Describe(stub)})";
            if (*own.MethodDesc == structProbe.MethodHandle.Value)
                return "an unboxing stub jumps to its own precode";
        }
        try { _ = PrecodeSlotOf(structProbe); }
        catch (TrapException e) { return e.Message; }
        return null;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int UncompiledProbe() => Environment.ProcessorCount + 1;

    struct ValueProbe
    {
        public int Value;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public override string ToString() => Value.ToString();
    }

    /// <summary>The first instructions at <paramref name="at"/>, for messages.</summary>
    static string Describe(IntPtr at)
    {
        var decoder = Decoder.Create(64, new UnsafeCodeReader(at, 32), (ulong)at);
        var formatter = new NasmFormatter();
        var output = new StringOutput();
        var parts = new System.Collections.Generic.List<string>();
        for (var i = 0; i < 3; i++)
        {
            formatter.Format(decoder.Decode(), output);
            parts.Add(output.ToStringAndReset());
        }
        return string.Join("; ", parts);
    }

    /// <summary>
    /// Whether a 5-byte jump written at <paramref name="body"/> stays inside the method: a body whose
    /// first instructions end (return or jump away) before 5 bytes is followed by something else,
    /// unless the gap is alignment padding (<c>int3</c>).
    /// </summary>
    public bool HasRoomForJump(IntPtr body)
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

    public int NearJumpLength => 5;

    public long NearJumpReach => int.MaxValue;

    public byte[] JumpNear(IntPtr from, IntPtr to) => JumpRel32(from, to);

    public byte[] JumpAnywhere(IntPtr to) => JumpAbsolute(to);

    /// <summary><c>xor eax, eax; ret</c>.</summary>
    public byte[] ReturnZero() => new byte[] { 0x31, 0xC0, 0xC3 };

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
