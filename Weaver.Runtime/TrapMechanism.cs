using System;

namespace Trapweave;

/// <summary>How calls to a member reach Trapweave (<see cref="TrapExplanation.Mechanism"/>): none, or one or more of these.</summary>
[Flags]
public enum TrapMechanism
{
    /// <summary>Calls to it cannot be intercepted (see <see cref="TrapExplanation.Reason"/>).</summary>
    None = 0,
    /// <summary>Its own body was woven with a trap prologue: every call, from anywhere, is interceptable.</summary>
    Woven = 1,
    /// <summary>Call sites to it in woven assemblies go through redirect stubs: calls from woven code are interceptable.</summary>
    Redirected = 2,
    /// <summary>
    /// Its compiled code is patched while a registration on it is alive: calls from code nobody wove
    /// are interceptable too, except from callers that inlined it before the patch (see <see cref="TrapExplanation.NativeLimits"/>).
    /// </summary>
    Native = 4,
}
