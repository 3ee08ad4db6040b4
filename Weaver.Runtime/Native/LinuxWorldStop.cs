using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using static Trapweave.Internal.Native.LinuxX64StopCode;

namespace Trapweave.Internal.Native;

/// <summary>
/// Linux: every other thread is sent a real-time signal (<c>rt_tgsigqueueinfo</c>, carrying the stop's
/// number) whose handler records the interrupted instruction pointer and spins until the stop ends;
/// the patching thread runs the whole stop in native code (<see cref="LinuxX64StopCode.Window"/>).
/// Queued signals are never lost; a thread that cannot take one in time (signals blocked) fails the
/// stop, and its late handler returns at once (the stop it belongs to has ended).
/// </summary>
internal sealed unsafe class LinuxWorldStop : IWorldStop
{
    const int MaxThreads = 4096;
    const int SaSigInfo = 4, SaRestart = 0x10000000;
    const long TimeoutNanoseconds = 500_000_000;

    readonly ICodeWriter _writer;
    readonly bool _x64;
    readonly Lazy<string?> _setUp;
    readonly object _gate = new();
    long* _control;
    int* _threadIds;
    byte* _signalInfo;
    delegate* unmanaged<long*, long> _window;
    int _signal;
    long _stops;

    public LinuxWorldStop(ICodeWriter writer, bool x64)
    {
        _writer = writer;
        _x64 = x64;
        _setUp = new Lazy<string?>(SetUp);
    }

    public string? Unavailable => _setUp.Value;

    /// <summary>The last stop's threads listed, signals sent, threads arrived and slots claimed (for diagnostics).</summary>
    internal (int Listed, long Sent, long Arrived, long Claimed) LastCounts { get; private set; }

    /// <summary>The signal the handler is installed for (0 until set up).</summary>
    internal int Signal => _signal;

    [StructLayout(LayoutKind.Sequential)]
    struct SigAction
    {
        public IntPtr Handler;
        public fixed ulong Mask[16];
        public int Flags;
        public IntPtr Restorer;
    }

    [DllImport("libc", SetLastError = true)]
    static extern int sigaction(int signal, SigAction* action, SigAction* old);

    [DllImport("libc")]
    static extern int __libc_current_sigrtmin();

    [DllImport("libc")]
    static extern int __libc_current_sigrtmax();

    [DllImport("libc")]
    static extern int getpid();

    [DllImport("libc")]
    static extern uint getuid();

    [DllImport("libc")]
    static extern int gettid();

    [DllImport("libc", SetLastError = true)]
    static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    string? SetUp()
    {
        if (!_x64) return "holding threads for a moment is written for x86-64 only";
        try
        {
            _control = (long*)NativeMemory.AllocZeroed((nuint)(Control.SlotsOffset + MaxThreads * Control.SlotSize));
            _threadIds = (int*)NativeMemory.AllocZeroed(MaxThreads * sizeof(int));
            _signalInfo = (byte*)NativeMemory.AllocZeroed(128);
            _control[Control.DirectoryBuffer] = (long)NativeMemory.Alloc(Control.DirectoryBufferSize);
            // O_RDONLY | O_DIRECTORY | O_CLOEXEC: read again in place (lseek, getdents64) while threads are held.
            var directory = open("/proc/self/task", 0x10000 | 0x80000);
            if (directory < 0) return $"/proc/self/task cannot be read (errno {Marshal.GetLastPInvokeError()}), so the threads to hold cannot be listed";
            _control[Control.TaskDirectory] = directory;

            var size = Environment.SystemPageSize;
            var page = _writer.AllocateThunkPage(size);
            var handler = SignalHandler((IntPtr)_control, MaxThreads, (ulong)page);
            var window = Window(MaxThreads, (ulong)(page + 1024));
            if (handler.Length > 1024 || 1024 + window.Length > size) return "the stop's code does not fit in a page";
            handler.CopyTo(new Span<byte>((void*)page, handler.Length));
            window.CopyTo(new Span<byte>((void*)(page + 1024), window.Length));
            _writer.Seal(page, size);
            _window = (delegate* unmanaged<long*, long>)(page + 1024);

            // The highest real-time signal nobody handles: the runtime takes the lowest for its own stops.
            for (var signal = __libc_current_sigrtmax(); signal > __libc_current_sigrtmin() + 2; signal--)
            {
                SigAction old;
                if (sigaction(signal, null, &old) != 0 || old.Handler != IntPtr.Zero) continue;
                var action = new SigAction { Handler = page, Flags = SaSigInfo | SaRestart };
                // Every other signal waits while a thread is held: no handler runs on top of this one.
                for (var i = 0; i < 16; i++) action.Mask[i] = ulong.MaxValue;
                if (sigaction(signal, &action, null) != 0) continue;
                _signal = signal;
                break;
            }
            if (_signal == 0) return "every real-time signal already has a handler, so threads cannot be held for a moment";

            // A trial: hold every thread and swap a word of our own.
            var trial = (long*)NativeMemory.AllocZeroed(8);
            var outcome = SwapOnce((IntPtr)trial, 0, 1, IntPtr.Zero, IntPtr.Zero, out _);
            if (outcome != WorldStopOutcome.Swapped || *trial != 1) return $"a trial hold of every thread did not complete ({outcome})";
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or PlatformNotSupportedException)
        {
            return $"threads cannot be held for a moment: {e.Message}";
        }
    }

    /// <summary>Whether every listed thread that did not stop for <paramref name="stop"/> has ended since.</summary>
    bool MissingHaveEnded(int listed, long stop)
    {
        var arrived = new System.Collections.Generic.HashSet<int>();
        var claimed = Math.Min(_control[Control.Claimed], MaxThreads);
        for (var i = 0; i < claimed; i++)
        {
            var slot = (long*)((byte*)_control + Control.SlotsOffset + i * Control.SlotSize);
            if (slot[1] == stop) arrived.Add((int)slot[2]);
        }
        for (var i = 0; i < listed; i++)
        {
            if (arrived.Contains(_threadIds[i])) continue;
            string state;
            try { state = File.ReadAllText($"/proc/self/task/{_threadIds[i]}/stat"); }
            catch (IOException) { continue; } // gone
            // "tid (name) S ...": the state follows the name's closing parenthesis; Z and X have ended.
            var at = state.LastIndexOf(')');
            if (at < 0 || at + 2 >= state.Length || state[at + 2] is not ('Z' or 'X')) return false;
        }
        return true;
    }

    public WorldStopOutcome SwapWhileStopped(IntPtr word, long expected, long value, IntPtr zoneStart, IntPtr zoneEnd, out long detail)
    {
        if (Unavailable is { } why) throw new PlatformNotSupportedException(why);
        return SwapOnce(word, expected, value, zoneStart, zoneEnd, out detail);
    }

    WorldStopOutcome SwapOnce(IntPtr word, long expected, long value, IntPtr zoneStart, IntPtr zoneEnd, out long detail)
    {
        detail = 0;
        lock (_gate)
        {
            var self = gettid();
            var count = 0;
            foreach (var path in Directory.GetDirectories("/proc/self/task"))
            {
                if (!int.TryParse(Path.GetFileName(path), out var tid) || tid == self) continue;
                if (count == MaxThreads) return WorldStopOutcome.TooManyThreads;
                _threadIds[count++] = tid;
            }
            var stop = ++_stops;
            new Span<byte>(_signalInfo, 128).Clear();
            *(int*)_signalInfo = _signal;
            *(int*)(_signalInfo + 8) = -1; // SI_QUEUE
            *(int*)(_signalInfo + 16) = getpid();
            *(uint*)(_signalInfo + 20) = getuid();
            *(long*)(_signalInfo + 24) = stop;

            _control[Control.ProcessId] = getpid();
            _control[Control.Signal] = _signal;
            _control[Control.ThreadIds] = (long)_threadIds;
            _control[Control.ThreadCount] = count;
            _control[Control.SignalInfo] = (long)_signalInfo;
            _control[Control.ZoneStart] = (long)zoneStart;
            _control[Control.ZoneEnd] = (long)zoneEnd;
            _control[Control.SwapAddress] = (long)word;
            _control[Control.SwapExpected] = expected;
            _control[Control.SwapValue] = value;
            _control[Control.TimeoutNanoseconds] = TimeoutNanoseconds;
            _control[Control.Detail] = 0;
            // Slots of earlier stops carry their number, so they never count for this one.
            Volatile.Write(ref _control[Control.Claimed], 0);
            Volatile.Write(ref _control[Control.Stop], stop);
            var outcome = (WorldStopOutcome)_window(_control);
            // A thread that was ending when it was listed never takes the signal: not a failure, try again.
            if (outcome == WorldStopOutcome.Timeout && MissingHaveEnded(count, stop)) outcome = WorldStopOutcome.NewThread;
            detail = outcome == WorldStopOutcome.Timeout ? _control[Control.Sent] - _control[Control.Arrived] : _control[Control.Detail];
            LastCounts = (count, _control[Control.Sent], _control[Control.Arrived], _control[Control.Claimed]);
            return outcome;
        }
    }
}
