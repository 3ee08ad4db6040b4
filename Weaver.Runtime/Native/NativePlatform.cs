using System;
using System.Runtime.InteropServices;

namespace Trapweave.Internal.Native;

/// <summary>
/// The one place the native fallback's platform is chosen: the architecture's code locator and
/// jump encoder (<see cref="IArchitecture"/>) and the OS's code writer (<see cref="ICodeWriter"/>).
/// Platforms without an implementation get one whose members throw
/// <see cref="PlatformNotSupportedException"/> naming what is missing; <see cref="Unsupported"/>
/// turns that into the reason the fallback is unavailable.
/// </summary>
internal static unsafe class NativePlatform
{
    static readonly Lazy<string?> Check = new(CheckWritesAndRuns);
    static readonly Lazy<ThunkPages> LazyThunks = new(() => new ThunkPages(Writer, Architecture));

    public static IArchitecture Architecture { get; } = ArchitectureFor(RuntimeInformation.ProcessArchitecture, OperatingSystem.IsWindows());

    public static ICodeWriter Writer { get; } = WriterFor(
        OperatingSystem.IsWindows() ? OSPlatform.Windows : OperatingSystem.IsMacOS() ? OSPlatform.OSX : OperatingSystem.IsLinux() ? OSPlatform.Linux : OSPlatform.Create(RuntimeInformation.OSDescription));

    /// <summary>Holds every other thread for a swap (virtual members' patches), or says why it cannot on this platform.</summary>
    public static IWorldStop WorldStop { get; } = OperatingSystem.IsLinux()
        ? new LinuxWorldStop(Writer, RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64)
        : new UnsupportedWorldStop(OperatingSystem.IsWindows() ? "holding threads for a moment is not written for Windows yet (SuspendThread)" : $"holding threads for a moment is not written for {RuntimeInformation.OSDescription}");

    internal static IArchitecture ArchitectureFor(Architecture architecture, bool windowsAbi) => architecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => new X64Code(windowsAbi),
        System.Runtime.InteropServices.Architecture.Arm64 => new Arm64Code(),
        var other => new UnsupportedArchitecture(other.ToString()),
    };

    internal static ICodeWriter WriterFor(OSPlatform os) =>
        os == OSPlatform.Windows ? new WindowsCodeWriter() :
        os == OSPlatform.OSX ? new MacOSCodeWriter() :
        os == OSPlatform.Linux ? new LinuxCodeWriter() :
        new UnsupportedCodeWriter(os.ToString());

    /// <summary>Thunk pages of this platform (shared by every patch: a page holds many thunks' worth of room).</summary>
    public static ThunkPages Thunks => LazyThunks.Value;

    /// <summary>A function written by <see cref="Writer"/> that returns 0 (zero until <see cref="Unsupported"/> has run and passed).</summary>
    public static IntPtr ReturnZeroFunction { get; private set; }

    /// <summary>Why this platform has no native fallback (what is missing, from its implementation), or null.</summary>
    public static string? Unsupported => Check.Value;

    public static string Describe() => $"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}, {RuntimeInformation.OSDescription}";

    static string? CheckWritesAndRuns()
    {
        var failure = CheckWritesAndRuns(Architecture, Writer, out var function);
        ReturnZeroFunction = function;
        return failure;
    }

    /// <summary>
    /// Writes a function that returns 0 with <paramref name="writer"/> and <paramref name="architecture"/>'s
    /// encoding, and calls it (never freed: <paramref name="function"/>); a platform without an
    /// implementation fails here with its own message.
    /// </summary>
    internal static string? CheckWritesAndRuns(IArchitecture architecture, ICodeWriter writer, out IntPtr function)
    {
        function = IntPtr.Zero;
        try
        {
            var code = architecture.ReturnZero();
            var size = Environment.SystemPageSize;
            var page = writer.AllocateThunkPage(size);
            code.CopyTo(new Span<byte>((void*)page, code.Length));
            writer.Seal(page, size);
            var result = ((delegate* unmanaged<int>)page)();
            if (result != 0) return $"a function written to return 0 returned {result}";
            function = page;
            return null;
        }
        catch (PlatformNotSupportedException e) { return e.Message; }
        catch (TrapException e) { return $"writing code failed: {e.Message}"; }
    }
}
