using Trapweave.Internal.Native;

namespace Trapweave.Tests.Native;

/// <summary>
/// Turns the native fallback off until disposed, for tests about the other mechanisms (woven,
/// redirected) or about what is refused without it. The switch is process-wide: only for test
/// classes in <see cref="NotInParallel"/>.
/// </summary>
public sealed class NativeFallbackOff : IDisposable
{
    readonly bool _was = NativeFallback.Enabled;

    public NativeFallbackOff() => NativeFallback.Enabled = false;

    public void Dispose() => NativeFallback.Enabled = _was;
}
