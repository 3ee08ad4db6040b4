using System;

namespace Trapweave;

/// <summary>
/// Thrown when a registration cannot take effect: the target is not trapped (not woven, excluded,
/// <see cref="NoTrapAttribute"/>), or the replacement does not fit the target's signature.
/// The message names the method and says what to change.
/// </summary>
public sealed class TrapException : Exception
{
    public TrapException(string message) : base(message) { }
    public TrapException(string message, Exception inner) : base(message, inner) { }
}
