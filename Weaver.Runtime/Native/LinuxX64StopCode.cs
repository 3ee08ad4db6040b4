using System;
using System.Collections.Generic;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace Trapweave.Internal.Native;

/// <summary>
/// The machine code of a stop on Linux x86-64 (<see cref="LinuxWorldStop"/>): the signal handler each
/// stopped thread runs, and the window the patching thread runs. The window is native code on
/// purpose: the thread calls it as an unmanaged function, so it is in preemptive mode throughout,
/// and a collection another thread began before it was stopped never waits for it (a managed loop
/// would be asked to suspend for that collection, whose thread is held: neither would go on).
/// </summary>
internal static class LinuxX64StopCode
{
    /// <summary>Where the words of the control block are (a long each), and where the slots start.</summary>
    internal static class Control
    {
        public const int Stop = 0;            // the stop's number while threads are held, else 0
        public const int Claimed = 1;         // slots claimed by arriving threads
        public const int ProcessId = 2;
        public const int Signal = 3;
        public const int ThreadIds = 4;       // int32[]: the threads to stop
        public const int ThreadCount = 5;
        public const int SignalInfo = 6;      // siginfo_t, si_value = the stop's number
        public const int TaskDirectory = 7;   // fd of /proc/self/task
        public const int DirectoryBuffer = 8; // DirectoryBufferSize bytes
        public const int ZoneStart = 9;       // no thread may be stopped at [ZoneStart, ZoneEnd)
        public const int ZoneEnd = 10;
        public const int SwapAddress = 11;    // the aligned word swapped while threads are held
        public const int SwapExpected = 12;
        public const int SwapValue = 13;
        public const int TimeoutNanoseconds = 14;
        public const int Detail = 15;         // the instruction pointer in the zone, or the word found
        public const int TimeSpec = 16;       // two longs
        public const int Sent = 18;
        public const int Arrived = 19;
        public const int Deadline = 20;
        public const int SlotsOffset = 256;   // bytes; each slot: instruction pointer, stop number, thread id
        public const int SlotSize = 32;
        public const int DirectoryBufferSize = 32 * 1024;
    }

    /// <summary>What <see cref="Window"/> returns.</summary>
    internal enum Outcome : long
    {
        Swapped = 0,
        Timeout = 1,
        NewThread = 2,
        InZone = 3,
        WordChanged = 4,
    }

    const int SysLseek = 8, SysGetdents64 = 217, SysClockGettime = 228, SysRtTgSigQueueInfo = 297;
    const int ClockMonotonic = 1, SysFutex = 202, SysSchedYield = 24, FutexWaitPrivate = 128, FutexWakePrivate = 129;
    // glibc x86-64: siginfo_t.si_value; ucontext_t.uc_mcontext.gregs[REG_RIP] (uc_mcontext at 40, RIP is greg 16).
    const int SignalValueOffset = 24, ContextRipOffset = 40 + 16 * 8;

    /// <summary>
    /// <c>handler(int signal, siginfo_t* info, ucontext_t* context)</c>: a signal of the current stop
    /// claims a slot, writes the interrupted instruction pointer, the thread's id and then the stop's
    /// number there, and spins until the stop ends; a signal of an ended stop returns at once.
    /// </summary>
    public static byte[] SignalHandler(IntPtr control, int maxThreads, ulong at)
    {
        var a = new Assembler(64);
        var done = a.CreateLabel();
        var spin = a.CreateLabel();
        const int SysGettid = 186;
        a.mov(eax, SysGettid);
        a.syscall();
        a.mov(r10, rax);
        a.mov(rax, __qword_ptr[rsi + SignalValueOffset]);
        a.mov(rcx, (ulong)(long)control);
        a.cmp(rax, __qword_ptr[rcx + Control.Stop * 8]);
        a.jne(done);
        a.mov(r9, 1);
        a.@lock.xadd(__qword_ptr[rcx + Control.Claimed * 8], r9);
        a.cmp(r9, maxThreads);
        a.jae(spin);
        a.mov(r8, __qword_ptr[rdx + ContextRipOffset]);
        a.shl(r9, 5);
        a.add(r9, rcx);
        a.mov(__qword_ptr[r9 + Control.SlotsOffset], r8);
        a.mov(__qword_ptr[r9 + Control.SlotsOffset + 16], r10);
        a.mov(__qword_ptr[r9 + Control.SlotsOffset + 8], rax);
        // Held threads sleep (futex on the stop word) rather than spin: on a busy machine spinning ones
        // would keep the threads not yet stopped from running their handlers.
        a.Label(ref spin);
        a.mov(r8, rax);
        a.mov(r9, rcx);
        a.mov(eax, SysFutex);
        a.lea(rdi, __[r9 + Control.Stop * 8]);
        a.mov(esi, FutexWaitPrivate);
        a.mov(edx, r8d);
        a.xor(r10d, r10d);
        a.syscall();
        a.mov(rax, r8);
        a.mov(rcx, r9);
        a.cmp(rax, __qword_ptr[rcx + Control.Stop * 8]);
        a.je(spin);
        a.Label(ref done);
        a.ret();
        return Assemble(a, at);
    }

    /// <summary>
    /// <c>long window(long* control)</c>, called with <see cref="Control.Stop"/> already set: signals
    /// every listed thread, waits (until the deadline) for each to stop, counts the process's threads
    /// again (one started meanwhile would still run), checks that none stopped inside the zone, swaps
    /// the word, and ends the stop. Returns an <see cref="Outcome"/>.
    /// </summary>
    public static byte[] Window(int maxThreads, ulong at)
    {
        var a = new Assembler(64);
        Label L() => a.CreateLabel();
        var sendLoop = L(); var sendNext = L(); var sendDone = L();
        var waitLoop = L(); var countLoop = L(); var countSkip = L(); var counted = L(); var allArrived = L();
        var dirLoop = L(); var entryLoop = L(); var notThread = L(); var dirDone = L();
        var zoneLoop = L(); var zoneNext = L(); var zoneDone = L();
        var timeout = L(); var newThread = L(); var inZone = L(); var wordChanged = L(); var release = L(); var exit = L();
        AssemblerMemoryOperand C(int word) => __qword_ptr[rbx + word * 8];

        a.push(rbx); a.push(r12); a.push(r13); a.push(r14); a.push(r15);
        a.mov(rbx, rdi);

        // deadline = now + timeout
        Now(a);
        a.add(rax, C(Control.TimeoutNanoseconds));
        a.mov(C(Control.Deadline), rax);

        // Signal every listed thread; a thread that has ended since it was listed (ESRCH) is not waited for.
        a.xor(r12, r12);
        a.xor(r13, r13);
        a.Label(ref sendLoop);
        a.cmp(r12, C(Control.ThreadCount));
        a.jae(sendDone);
        a.mov(rax, C(Control.ThreadIds));
        a.movsxd(rsi, __dword_ptr[rax + r12 * 4]);
        a.mov(rdi, C(Control.ProcessId));
        a.mov(rdx, C(Control.Signal));
        a.mov(r10, C(Control.SignalInfo));
        a.mov(eax, SysRtTgSigQueueInfo);
        a.syscall();
        a.test(rax, rax);
        a.jne(sendNext);
        a.inc(r13);
        a.Label(ref sendNext);
        a.inc(r12);
        a.jmp(sendLoop);
        a.Label(ref sendDone);
        a.mov(C(Control.Sent), r13);

        // Wait until as many slots carry this stop's number as signals were sent.
        a.Label(ref waitLoop);
        a.mov(r14, C(Control.Claimed));
        a.mov(rax, maxThreads);
        a.cmp(r14, rax);
        a.cmova(r14, rax);
        a.xor(r15, r15);
        a.xor(rcx, rcx);
        a.lea(r8, __[rbx + Control.SlotsOffset]);
        a.Label(ref countLoop);
        a.cmp(rcx, r14);
        a.jae(counted);
        a.mov(rax, __qword_ptr[r8 + 8]);
        a.cmp(rax, C(Control.Stop));
        a.jne(countSkip);
        a.inc(r15);
        a.Label(ref countSkip);
        a.add(r8, Control.SlotSize);
        a.inc(rcx);
        a.jmp(countLoop);
        a.Label(ref counted);
        a.cmp(r15, r13);
        a.jae(allArrived);
        Now(a);
        a.cmp(rax, C(Control.Deadline));
        a.jg(timeout);
        a.mov(eax, SysSchedYield);
        a.syscall();
        a.jmp(waitLoop);
        a.Label(ref allArrived);
        a.mov(C(Control.Arrived), r15);

        // Count the threads again: the numeric entries of /proc/self/task.
        a.mov(eax, SysLseek);
        a.mov(rdi, C(Control.TaskDirectory));
        a.xor(esi, esi);
        a.xor(edx, edx);
        a.syscall();
        a.xor(r15, r15);
        a.Label(ref dirLoop);
        a.mov(eax, SysGetdents64);
        a.mov(rdi, C(Control.TaskDirectory));
        a.mov(rsi, C(Control.DirectoryBuffer));
        a.mov(edx, Control.DirectoryBufferSize);
        a.syscall();
        a.test(rax, rax);
        a.jle(dirDone);
        a.mov(rcx, C(Control.DirectoryBuffer));
        a.lea(rdx, __[rcx + rax]);
        a.Label(ref entryLoop);
        a.cmp(rcx, rdx);
        a.jae(dirLoop);
        // linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name
        a.movzx(eax, __byte_ptr[rcx + 19]);
        a.sub(eax, '0');
        a.cmp(eax, 9);
        a.ja(notThread);
        a.inc(r15);
        a.Label(ref notThread);
        a.movzx(eax, __word_ptr[rcx + 16]);
        a.add(rcx, rax);
        a.jmp(entryLoop);
        a.Label(ref dirDone);
        a.lea(rax, __[r13 + 1]);
        a.cmp(r15, rax);
        a.jne(newThread);

        // No thread may be stopped inside the zone.
        a.mov(r14, C(Control.Claimed));
        a.mov(rax, maxThreads);
        a.cmp(r14, rax);
        a.cmova(r14, rax);
        a.xor(rcx, rcx);
        a.lea(r8, __[rbx + Control.SlotsOffset]);
        a.Label(ref zoneLoop);
        a.cmp(rcx, r14);
        a.jae(zoneDone);
        a.mov(rax, __qword_ptr[r8 + 8]);
        a.cmp(rax, C(Control.Stop));
        a.jne(zoneNext);
        a.mov(rax, __qword_ptr[r8]);
        a.cmp(rax, C(Control.ZoneStart));
        a.jb(zoneNext);
        a.cmp(rax, C(Control.ZoneEnd));
        a.jb(inZone);
        a.Label(ref zoneNext);
        a.add(r8, Control.SlotSize);
        a.inc(rcx);
        a.jmp(zoneLoop);
        a.Label(ref zoneDone);

        // The swap, with every other thread held outside the zone.
        a.mov(rdx, C(Control.SwapAddress));
        a.mov(rax, C(Control.SwapExpected));
        a.mov(rcx, C(Control.SwapValue));
        a.@lock.cmpxchg(__qword_ptr[rdx], rcx);
        a.jne(wordChanged);
        a.xor(eax, eax);
        a.jmp(release);

        a.Label(ref timeout);
        a.mov(C(Control.Arrived), r15);
        a.mov(eax, (int)Outcome.Timeout);
        a.jmp(release);
        a.Label(ref newThread);
        a.mov(C(Control.Detail), r15);
        a.mov(eax, (int)Outcome.NewThread);
        a.jmp(release);
        a.Label(ref inZone);
        a.mov(C(Control.Detail), rax);
        a.mov(eax, (int)Outcome.InZone);
        a.jmp(release);
        a.Label(ref wordChanged);
        a.mov(C(Control.Detail), rax);
        a.mov(eax, (int)Outcome.WordChanged);

        a.Label(ref release);
        a.mov(r12, rax);
        a.mov(__qword_ptr[rbx + Control.Stop * 8], 0);
        a.mov(eax, SysFutex);
        a.lea(rdi, __[rbx + Control.Stop * 8]);
        a.mov(esi, FutexWakePrivate);
        a.mov(edx, int.MaxValue);
        a.syscall();
        a.mov(rax, r12);
        a.Label(ref exit);
        a.pop(r15); a.pop(r14); a.pop(r13); a.pop(r12); a.pop(rbx);
        a.ret();
        return Assemble(a, at);
    }

    /// <summary>rax = CLOCK_MONOTONIC in nanoseconds (clobbers rdi, rsi, rcx, r11).</summary>
    static void Now(Assembler a)
    {
        a.mov(eax, SysClockGettime);
        a.mov(edi, ClockMonotonic);
        a.lea(rsi, __[rbx + Control.TimeSpec * 8]);
        a.syscall();
        a.imul(rax, __qword_ptr[rbx + Control.TimeSpec * 8], 1_000_000_000);
        a.add(rax, __qword_ptr[rbx + (Control.TimeSpec + 1) * 8]);
    }

    static byte[] Assemble(Assembler a, ulong at)
    {
        var writer = new ByteWriter();
        a.Assemble(writer, at);
        return writer.Bytes.ToArray();
    }

    sealed class ByteWriter : Iced.Intel.CodeWriter
    {
        public List<byte> Bytes { get; } = new();
        public override void WriteByte(byte value) => Bytes.Add(value);
    }
}
