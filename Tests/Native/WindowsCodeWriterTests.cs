using System.Runtime.InteropServices;
using Iced.Intel;
using Trapweave.Internal.Native;
using static Trapweave.Internal.Native.WindowsCodeWriter;

namespace Trapweave.Tests.Native;

/// <summary>
/// What the Windows code writer decides, run here against a recording stand-in for kernel32
/// (the real calls need Windows): where it looks for a thunk page, which protections it sets in
/// which order, and the code it writes.
/// </summary>
public unsafe class WindowsCodeWriterTests
{
    /// <summary>Records the kernel32 calls; memory is a real native buffer, so writes land somewhere.</summary>
    sealed class RecordingMemory : WindowsCodeWriter.IMemory
    {
        public readonly List<string> Calls = new();
        public Func<IntPtr, IntPtr> Allocate = _ => IntPtr.Zero;
        public uint Current = PageExecuteRead;
        public uint Refused;

        public bool VirtualProtect(IntPtr address, nuint size, uint protection, out uint old)
        {
            Calls.Add($"protect {address:x} {size} {protection:x2}");
            old = Current;
            if (protection == Refused) return false;
            Current = protection;
            return true;
        }

        public IntPtr VirtualAlloc(IntPtr address, nuint size, uint type, uint protection)
        {
            Calls.Add($"alloc {address:x} {size} {type:x} {protection:x2}");
            return Allocate(address);
        }

        public void FlushInstructionCache(IntPtr address, nuint size) => Calls.Add($"flush {address:x} {size}");

        public int LastError => 5;
    }

    [Fact]
    public void Candidates_are_64_KB_aligned_nearest_first_below_before_above_and_within_reach()
    {
        const long near = 0x7FF8_1234_5678;
        var candidates = CandidatesNear(near).ToList();
        const long origin = near & ~0xFFFFL;
        Assert.Equal(new[] { origin - 0x10000, origin + 0x10000, origin - 0x20000, origin + 0x20000 }, candidates.Take(4));
        Assert.All(candidates, c => Assert.Equal(0, c % AllocationGranularity));
        Assert.All(candidates, c => Assert.True(Math.Abs(c - near) < Reach, $"{c:x} is out of reach"));
        for (var i = 1; i < candidates.Count; i++)
            Assert.True(Math.Abs(candidates[i] - origin) >= Math.Abs(candidates[i - 1] - origin), $"candidate {i} is nearer than the one before");
        Assert.Equal(2 * (Reach / AllocationGranularity - 1), candidates.Count);
        Assert.Equal(candidates.Count, candidates.Distinct().Count());
        // A rel32 jump from anywhere in the code's 64 KB reaches every candidate page.
        Assert.All(candidates, c => Assert.True(Math.Abs(c + 0xFFFF - origin) < int.MaxValue));
    }

    [Fact]
    public void Candidates_stay_inside_the_user_address_space()
    {
        var low = CandidatesNear(0x3_8000).ToList();
        Assert.Equal(new long[] { 0x2_0000, 0x4_0000, 0x1_0000, 0x5_0000, 0x6_0000 }, low.Take(5));
        Assert.All(low, c => Assert.True(c >= LowestAddress));
        var high = CandidatesNear(HighestAddress - 0x2_0000).ToList();
        Assert.All(high, c => Assert.True(c + AllocationGranularity - 1 <= HighestAddress, $"{c:x} ends past the user address space"));
        Assert.Contains(high, c => c > HighestAddress - 0x2_0000);
    }

    [Fact]
    public void A_thunk_page_near_the_code_is_the_first_free_candidate_allocated_read_write_then_sealed_read_execute_never_both()
    {
        const long near = 0x7FF8_0000_1000;
        var free = near - 0x1000 + 0x3_0000; // the third candidate above
        var memory = new RecordingMemory { Allocate = at => (long)at == free ? at : IntPtr.Zero };
        var writer = new WindowsCodeWriter(memory);
        var page = writer.AllocateThunkPageNear((IntPtr)near, 4096);
        Assert.Equal((IntPtr)free, page);
        var origin = near - 0x1000;
        Assert.Equal(new[] { origin - 0x10000, origin + 0x10000, origin - 0x20000, origin + 0x20000, origin - 0x30000, origin + 0x30000 }
            .Select(a => $"alloc {a:x} 4096 3000 04"), memory.Calls);
        memory.Calls.Clear();
        writer.Seal(page, 4096);
        Assert.Equal(new[] { $"protect {free:x} 4096 20", $"flush {free:x} 4096" }, memory.Calls);
    }

    [Fact]
    public void No_free_candidate_gives_zero_and_the_caller_falls_back()
    {
        var memory = new RecordingMemory();
        Assert.Equal(IntPtr.Zero, new WindowsCodeWriter(memory).AllocateThunkPageNear((IntPtr)0x7FF8_0000_0000, 4096));
        Assert.Equal(2 * (Reach / AllocationGranularity - 1), memory.Calls.Count);
        Assert.DoesNotContain(memory.Calls, c => !c.EndsWith(" 3000 04"));
    }

    [Fact]
    public void An_unplaced_thunk_page_is_allocated_read_write_and_failure_names_the_error()
    {
        var memory = new RecordingMemory { Allocate = _ => (IntPtr)0x1234_0000 };
        Assert.Equal((IntPtr)0x1234_0000, new WindowsCodeWriter(memory).AllocateThunkPage(4096));
        Assert.Equal(new[] { "alloc 0 4096 3000 04" }, memory.Calls);
        var e = Assert.Throws<TrapException>(() => new WindowsCodeWriter(new RecordingMemory()).AllocateThunkPage(4096));
        Assert.Contains("error 5", e.Message);
    }

    [Theory]
    [InlineData(PageExecuteRead)]
    [InlineData(PageExecuteReadWrite)] // the runtime's code heap with W^X off
    public void Writing_code_makes_it_writable_and_executable_copies_then_restores_what_it_was_and_flushes(uint before)
    {
        var buffer = (byte*)NativeMemory.Alloc(16);
        try
        {
            new Span<byte>(buffer, 16).Fill(0xCC);
            var memory = new RecordingMemory { Current = before };
            var at = (IntPtr)buffer;
            new WindowsCodeWriter(memory).Write(at, X64Code.JumpRel32(at, at + 0x100));
            Assert.Equal(new byte[] { 0xE9, 0xFB, 0x00, 0x00, 0x00, 0xCC }, new Span<byte>(buffer, 6).ToArray());
            Assert.Equal(new[] { $"protect {at:x} 5 40", $"protect {at:x} 5 {before:x2}", $"flush {at:x} 5" }, memory.Calls);
            Assert.Equal(before, memory.Current);
        }
        finally { NativeMemory.Free(buffer); }
    }

    [Theory]
    [InlineData(PageExecuteRead)]
    [InlineData(PageExecuteReadWrite)]
    public void A_patch_s_protect_pair_puts_back_the_protection_found_and_flushes_after(uint before)
    {
        var memory = new RecordingMemory { Current = before };
        var writer = new WindowsCodeWriter(memory);
        writer.Protect((IntPtr)0x7000_1008, 8, writable: true);
        writer.Protect((IntPtr)0x7000_1008, 8, writable: false);
        Assert.Equal(new[] { "protect 70001008 8 40", $"protect 70001008 8 {before:x2}", "flush 70001008 8" }, memory.Calls);
    }

    [Fact]
    public void Code_mapped_read_only_from_a_file_is_written_copy_on_write_and_a_refusal_of_both_names_the_error()
    {
        var buffer = (byte*)NativeMemory.Alloc(8);
        try
        {
            var at = (IntPtr)buffer;
            var memory = new RecordingMemory { Refused = PageExecuteReadWrite };
            var writer = new WindowsCodeWriter(memory);
            writer.Protect(at, 8, writable: true);
            writer.Protect(at, 8, writable: false);
            Assert.Equal(new[] { $"protect {at:x} 8 40", $"protect {at:x} 8 80", $"protect {at:x} 8 20", $"flush {at:x} 8" }, memory.Calls);
            memory.Calls.Clear();
            writer.Write(at, new byte[] { 0x90 });
            Assert.Equal(new[] { $"protect {at:x} 1 40", $"protect {at:x} 1 80", $"protect {at:x} 1 20", $"flush {at:x} 1" }, memory.Calls);
            Assert.Equal(0x90, buffer[0]);

            var refusing = new RefusingMemory();
            var e = Assert.Throws<TrapException>(() => new WindowsCodeWriter(refusing).Protect(at, 8, writable: true));
            Assert.Equal("Could not make code writable: VirtualProtect failed with error 5.", e.Message);
            Assert.Throws<TrapException>(() => new WindowsCodeWriter(refusing).Write(at, new byte[] { 0xCC }));
            Assert.Equal(0x90, buffer[0]); // nothing written
        }
        finally { NativeMemory.Free(buffer); }
    }

    sealed class RefusingMemory : WindowsCodeWriter.IMemory
    {
        public bool VirtualProtect(IntPtr address, nuint size, uint protection, out uint old) { old = 0; return false; }
        public IntPtr VirtualAlloc(IntPtr address, nuint size, uint type, uint protection) => IntPtr.Zero;
        public void FlushInstructionCache(IntPtr address, nuint size) { }
        public int LastError => 5;
    }

    [Fact]
    public void The_thunk_it_seals_and_the_jump_to_it_decode_as_jumps_to_their_targets()
    {
        // What NativePatch hands the Windows writer: the same x64 encodings as on Linux.
        var code = new X64Code(windowsAbi: true);
        const long body = 0x7FF8_0000_1000, thunk = 0x7FF8_0003_0000, twin = 0x7FF9_1234_5678;
        // Variables, not constants: a long constant cast to nint warns that it may not fit a 32-bit process.
        long bodyAt = body, thunkAt = thunk, twinAt = twin;
        var jump = Decoder.Create(64, new ByteArrayCodeReader(code.JumpNear((IntPtr)bodyAt, (IntPtr)thunkAt)), body).Decode();
        Assert.Equal(Mnemonic.Jmp, jump.Mnemonic);
        Assert.Equal((ulong)thunk, jump.NearBranchTarget);
        Assert.Equal(code.NearJumpLength, jump.Length);
        var bytes = code.JumpAnywhere((IntPtr)twinAt);
        var absolute = Decoder.Create(64, new ByteArrayCodeReader(bytes), thunk).Decode();
        Assert.Equal(Mnemonic.Jmp, absolute.Mnemonic);
        Assert.True(absolute.IsIPRelativeMemoryOperand);
        Assert.Equal((ulong)thunk + 6, absolute.IPRelativeMemoryAddress);
        Assert.Equal(twin, BitConverter.ToInt64(bytes, 6));
    }

    [Fact]
    public void On_Windows_an_unboxing_stub_adjusts_rcx_and_rdi_is_an_ordinary_register()
    {
        var body = (byte*)NativeMemory.Alloc(32);
        var rcx = (byte*)NativeMemory.Alloc(32);
        var rdi = (byte*)NativeMemory.Alloc(32);
        try
        {
            new Span<byte>(body, 32).Fill(0x90); // nops: a body, no stub
            // add rcx, 8; mov rax, body; jmp rax
            var stub = new byte[] { 0x48, 0x83, 0xC1, 0x08, 0x48, 0xB8 }.Concat(BitConverter.GetBytes((long)body)).Concat(new byte[] { 0xFF, 0xE0 }).ToArray();
            stub.CopyTo(new Span<byte>(rcx, 32));
            stub[2] = 0xC7; // add rdi, 8
            stub.CopyTo(new Span<byte>(rdi, 32));
            var windows = new X64Code(windowsAbi: true);
            var systemV = new X64Code(windowsAbi: false);
            Assert.Equal((IntPtr)body, windows.FollowToBody((IntPtr)rcx, () => { }, valueReceiver: true));
            Assert.Equal((IntPtr)rdi, windows.FollowToBody((IntPtr)rdi, () => { }, valueReceiver: true)); // a body starting with add rdi, 8
            Assert.Equal((IntPtr)body, systemV.FollowToBody((IntPtr)rdi, () => { }, valueReceiver: true));
            Assert.Equal((IntPtr)rcx, systemV.FollowToBody((IntPtr)rcx, () => { }, valueReceiver: true));
            // Only a value type's method has an unboxing stub: elsewhere the same start is a body.
            Assert.Equal((IntPtr)rdi, systemV.FollowToBody((IntPtr)rdi, () => { }));
        }
        finally
        {
            NativeMemory.Free(body);
            NativeMemory.Free(rcx);
            NativeMemory.Free(rdi);
        }
    }
}
