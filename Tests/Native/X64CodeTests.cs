using System.Runtime.InteropServices;
using Iced.Intel;
using Trapweave.Internal.Native;

namespace Trapweave.Tests.Native;

/// <summary>The x64 encodings a patch writes, decoded back with Iced, and the stub shapes the locator accepts.</summary>
public unsafe class X64CodeTests
{
    static Instruction Decode(byte[] code, long at) => Decoder.Create(64, new ByteArrayCodeReader(code), (ulong)at).Decode();

    [Theory]
    [InlineData(0x7F00_0000_1000L, 0x7F00_0000_2000L)]
    [InlineData(0x7F00_0000_2000L, 0x7F00_0000_1000L)] // backwards
    [InlineData(0x7F00_0000_0000L, 0x7F00_7FFF_FFFFL + 5 - 1)] // the farthest forward
    [InlineData(0x7F00_8000_0000L, 0x7F00_0000_0005L)] // the farthest backward
    public void JumpRel32_decodes_as_a_5_byte_jump_to_its_target(long from, long to)
    {
        var code = X64Code.JumpRel32((IntPtr)from, (IntPtr)to);
        Assert.Equal(5, code.Length);
        var jump = Decode(code, from);
        Assert.Equal(Mnemonic.Jmp, jump.Mnemonic);
        Assert.Equal(OpKind.NearBranch64, jump.Op0Kind);
        Assert.Equal((ulong)to, jump.NearBranchTarget);
        Assert.Equal(5, jump.Length);
    }

    [Theory]
    [InlineData(0x7F00_0000_0000L, 0x7F00_8000_0000L + 5)]
    [InlineData(0x7F00_8000_0006L, 0x7F00_0000_0000L)]
    public void JumpRel32_refuses_targets_beyond_2_GB(long from, long to) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => X64Code.JumpRel32((IntPtr)from, (IntPtr)to));

    [Theory]
    [InlineData(0x1000L, 0x7FFF_FFFF_FFF0L)]
    [InlineData(0x7F00_0000_0000L, 0x10L)]
    public void JumpAbsolute_is_a_jump_through_the_8_bytes_after_it_and_clobbers_no_register(long at, long to)
    {
        var code = X64Code.JumpAbsolute((IntPtr)to);
        Assert.Equal(14, code.Length);
        var jump = Decode(code, at);
        Assert.Equal(Mnemonic.Jmp, jump.Mnemonic);
        Assert.Equal(6, jump.Length);
        Assert.True(jump.IsIPRelativeMemoryOperand);
        Assert.Equal((ulong)at + 6, jump.IPRelativeMemoryAddress);
        Assert.Equal(to, BitConverter.ToInt64(code, 6));
        Assert.Equal(Register.None, jump.Op0Register);
    }

    [Fact]
    public void ReturnZero_decodes_as_xor_eax_eax_ret()
    {
        var code = new X64Code(windowsAbi: false).ReturnZero();
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code), 0);
        var xor = decoder.Decode();
        Assert.Equal(Mnemonic.Xor, xor.Mnemonic);
        Assert.Equal(Register.EAX, xor.Op0Register);
        Assert.Equal(Register.EAX, xor.Op1Register);
        Assert.Equal(FlowControl.Return, decoder.Decode().FlowControl);
    }

    /// <summary>A fixup precode at the start of a buffer with its cells after it, as the runtime lays them out (cells 4 KB away there).</summary>
    /// <summary>A fixup precode whose three cells (target, method desc, fixup) start <paramref name="data"/> bytes above it.</summary>
    static byte[] FixupPrecode(byte loadRegisterModRm = 0x15, int data = 0x20)
    {
        var code = new List<byte>();
        code.AddRange(new byte[] { 0xFF, 0x25 }); code.AddRange(BitConverter.GetBytes(data - 6));         // jmp [rip+..] -> target cell
        code.AddRange(new byte[] { 0x4C, 0x8B, loadRegisterModRm }); code.AddRange(BitConverter.GetBytes(data + 8 - 13)); // mov r10, [rip+..] -> method desc cell
        code.AddRange(new byte[] { 0xFF, 0x25 }); code.AddRange(BitConverter.GetBytes(data + 16 - 19));    // jmp [rip+..] -> fixup cell
        while (code.Count < 0x20) code.Add(0xCC);
        return code.ToArray();
    }

    [Fact]
    public void A_fixup_precode_is_recognised_with_its_target_and_method_desc_cells()
    {
        var bytes = FixupPrecode();
        fixed (byte* at = bytes)
        {
            var precode = X64Code.FixupPrecodeAt((IntPtr)at);
            Assert.NotNull(precode);
            Assert.Equal((IntPtr)(at + 0x20), (IntPtr)precode.Value.Target);
            Assert.Equal((IntPtr)(at + 0x28), (IntPtr)precode.Value.MethodDesc);
        }
    }

    [Fact]
    public void Other_shapes_are_not_taken_for_a_fixup_precode()
    {
        var wrongRegister = FixupPrecode(loadRegisterModRm: 0x1D); // mov r11, [rip+..]
        var body = new byte[] { 0x55, 0x48, 0x89, 0xE5, 0xB8, 0x01, 0, 0, 0, 0x5D, 0xC3, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC };
        fixed (byte* a = wrongRegister, b = body)
        {
            Assert.Null(X64Code.FixupPrecodeAt((IntPtr)a));
            Assert.Null(X64Code.FixupPrecodeAt((IntPtr)b));
        }
    }

    [Fact]
    public void A_body_is_followed_to_itself_and_a_precode_to_its_target_compiling_when_it_points_at_its_fixup()
    {
        // As the runtime lays stubs out: the precode's cells one stub page above its code.
        var page = (int)X64Code.StubPageSize;
        Assert.NotEqual(0, page);
        var body = (byte*)NativeMemory.Alloc(64);
        var precode = (byte*)NativeMemory.Alloc((nuint)(page + 64));
        try
        {
            new Span<byte>(body, 64).Fill(0x90);
            FixupPrecode(data: page).CopyTo(new Span<byte>(precode, 0x20));
            var code = new X64Code(windowsAbi: false);
            Assert.Equal((IntPtr)body, code.FollowToBody((IntPtr)body, () => { }));
            // Not compiled yet: the target is the precode + 6; "compiling" points it at the body.
            var target = (IntPtr*)(precode + page);
            *target = (IntPtr)(precode + 6);
            var compiled = 0;
            Assert.Equal((IntPtr)body, code.FollowToBody((IntPtr)precode, () => { compiled++; *target = (IntPtr)body; }));
            Assert.Equal(1, compiled);
        }
        finally
        {
            NativeMemory.Free(body);
            NativeMemory.Free(precode);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0xCC, 0xCC, 0xCC, 0xCC }, true)]        // ret; then alignment padding
    [InlineData(new byte[] { 0xC3, 0x55, 0xCC, 0xCC, 0xCC }, false)]       // ret; then the next method
    [InlineData(new byte[] { 0xB8, 0x01, 0x00, 0x00, 0x00, 0xC3 }, true)]  // mov eax, 1: 5 bytes
    [InlineData(new byte[] { 0x31, 0xC0, 0xC3, 0x90, 0x90 }, false)]       // xor eax, eax; ret; nops are not padding
    public void Room_for_the_jump_counts_only_the_method_and_its_padding(byte[] start, bool room)
    {
        var code = start.Concat(Enumerable.Repeat((byte)0x90, 32)).ToArray();
        fixed (byte* at = code)
            Assert.Equal(room, new X64Code(windowsAbi: false).HasRoomForJump((IntPtr)at));
    }

    [Fact]
    public void The_stub_shapes_of_this_runtime_are_the_known_ones()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
        Assert.Null(((X64Code)NativePlatform.Architecture).CheckStubShapes());
    }
}
