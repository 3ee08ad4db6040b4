using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using External;
using Fixtures.Redirects;
using Trapweave.Internal.Native;

namespace Trapweave.Tests.Native;

/// <summary>
/// When a check of the runtime's internals fails, registrations on members nobody wove fail with a
/// message naming the runtime and the check, and Explain says so; woven and redirected calls still
/// work. The failing check is injected (process-wide: not in parallel).
/// </summary>
[Collection(NotInParallel.Name)]
public class NativeSelfTestTests
{
    const string Check = "the precode and stub shapes (a test's stand-in)";
    const string Found = "a method's entry point is not a fixup precode";

    static string ExpectedReason =>
        $"the native fallback's self-test failed on {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}, {RuntimeInformation.OSDescription}: " +
        $"{Check}: {Found} (woven and redirected calls are still intercepted)";

    static readonly System.Reflection.MethodInfo UncalledValue = typeof(Uncalled).GetMethod(nameof(Uncalled.Value))!;
    static readonly System.Reflection.MethodInfo UtcNow = typeof(DateTime).GetProperty(nameof(DateTime.UtcNow))!.GetMethod!;

    [Fact]
    public void The_self_test_passes_on_this_runtime()
    {
        Assert.Null(NativeSelfTest.Failure);
        Assert.Null(NativeFallback.Unavailable(UncalledValue));
    }

    [Fact]
    public void A_failed_check_makes_a_registration_on_an_unwoven_library_member_throw_naming_the_runtime_and_the_check()
    {
        TrapException e;
        NativeSelfTest.Injected = (Check, () => Found);
        try { e = Assert.Throws<TrapException>(() => Trap.Patch<Func<int>>(Uncalled.Value, () => 2)); }
        finally { NativeSelfTest.Injected = null; }
        Assert.Contains($"It is not patched natively either (which would reach calls from code nobody wove): {ExpectedReason}.", e.Message);
        Assert.Contains("Uncalled.Value", e.Message);
        // Evaluated at each registration, not remembered: with the check passing it is patched again.
        using (Trap.Patch<Func<int>>(Uncalled.Value, () => 2))
            Assert.Equal(2, CallValue());
    }

    [Fact]
    public void Explain_reports_the_failed_check()
    {
        TrapExplanation unwoven, redirected;
        NativeSelfTest.Injected = (Check, () => Found);
        try
        {
            unwoven = Trap.Explain(UncalledValue);
            redirected = Trap.Explain(UtcNow);
        }
        finally { NativeSelfTest.Injected = null; }
        Assert.Equal(TrapMechanism.None, unwoven.Mechanism);
        Assert.Contains(ExpectedReason, unwoven.ToString());
        // Redirected calls still reach it; the native patch is what is missing, and why.
        Assert.Equal(TrapMechanism.Redirected, redirected.Mechanism);
        Assert.Equal(ExpectedReason, redirected.NativeLimits);
        Assert.Equal(TrapMechanism.Redirected | TrapMechanism.Native, Trap.Explain(UtcNow).Mechanism);
    }

    [Fact]
    public void With_a_failed_check_a_redirected_call_is_still_intercepted_and_an_unwoven_one_is_not_patched()
    {
        var arranged = new DateTime(2033, 3, 3, 0, 0, 0, DateTimeKind.Utc);
        NativeSelfTest.Injected = (Check, () => Found);
        try
        {
            using (Trap.When(() => DateTime.UtcNow).Returns(arranged))
            {
                Assert.Equal(arranged, RedirectedCalls.UtcNow());
                Assert.NotEqual(arranged, ReadUtcNow());
            }
        }
        finally { NativeSelfTest.Injected = null; }
    }

    [Fact]
    public void A_check_that_throws_is_reported_with_the_exception()
    {
        NativeSelfTest.Injected = (Check, () => throw new InvalidOperationException("the probe could not be read"));
        try
        {
            var reason = NativeFallback.Unavailable(UncalledValue);
            Assert.Equal($"the native fallback's self-test failed on {NativePlatform.Describe()}: {Check}: InvalidOperationException: the probe could not be read (woven and redirected calls are still intercepted)", reason);
        }
        finally { NativeSelfTest.Injected = null; }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int CallValue() => Uncalled.Value();

    [MethodImpl(MethodImplOptions.NoInlining)]
    static DateTime ReadUtcNow() => DateTime.UtcNow;
}

/// <summary>Platforms without an implementation name what is missing, and that becomes the fallback's reason.</summary>
public class NativePlatformTests
{
    [Fact]
    public void The_platform_is_selected_in_one_place()
    {
        Assert.IsType<X64Code>(NativePlatform.ArchitectureFor(Architecture.X64, windowsAbi: false));
        Assert.IsType<Arm64Code>(NativePlatform.ArchitectureFor(Architecture.Arm64, windowsAbi: false));
        Assert.IsType<UnsupportedArchitecture>(NativePlatform.ArchitectureFor(Architecture.X86, windowsAbi: true));
        Assert.IsType<LinuxCodeWriter>(NativePlatform.WriterFor(OSPlatform.Linux));
        Assert.IsType<WindowsCodeWriter>(NativePlatform.WriterFor(OSPlatform.Windows));
        Assert.IsType<MacOSCodeWriter>(NativePlatform.WriterFor(OSPlatform.OSX));
        Assert.IsType<UnsupportedCodeWriter>(NativePlatform.WriterFor(OSPlatform.FreeBSD));
        if (RuntimeInformation.ProcessArchitecture == Architecture.X64 && OperatingSystem.IsLinux())
        {
            Assert.IsType<X64Code>(NativePlatform.Architecture);
            Assert.IsType<LinuxCodeWriter>(NativePlatform.Writer);
            Assert.Null(NativePlatform.Unsupported);
        }
    }

    [Fact]
    public void Arm64_reports_its_missing_code_locator()
    {
        var reason = NativePlatform.CheckWritesAndRuns(new Arm64Code(), NativePlatform.Writer, out var function);
        Assert.StartsWith("the native fallback has no arm64 code locator and jump encoder yet: ", reason);
        Assert.Equal(IntPtr.Zero, function);
        var e = Assert.Throws<PlatformNotSupportedException>(() => new Arm64Code().BodyOf(typeof(Uncalled).GetMethod(nameof(Uncalled.Value))!));
        Assert.Contains("arm64 precodes", e.Message);
    }

    [Fact]
    public void MacOS_reports_its_missing_code_writer()
    {
        var reason = NativePlatform.CheckWritesAndRuns(new X64Code(windowsAbi: false), new MacOSCodeWriter(), out _);
        Assert.StartsWith("the native fallback has no macOS code writer yet: ", reason);
        Assert.Contains("mapping a page for thunks", reason);
        Assert.Contains("MAP_JIT", Assert.Throws<PlatformNotSupportedException>(() => new MacOSCodeWriter().Write(IntPtr.Zero, new byte[1])).Message);
    }

    [Fact]
    public void Other_platforms_are_named()
    {
        Assert.Equal("the native fallback has no code locator and jump encoder for X86 (x64 only; arm64 is planned)",
            NativePlatform.CheckWritesAndRuns(NativePlatform.ArchitectureFor(Architecture.X86, true), NativePlatform.Writer, out _));
        Assert.Equal("the native fallback has no code writer for FREEBSD (Linux and Windows only; macOS is planned)",
            NativePlatform.CheckWritesAndRuns(new X64Code(false), NativePlatform.WriterFor(OSPlatform.FreeBSD), out _));
    }
}
