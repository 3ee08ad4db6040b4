namespace Trapweave;

/// <summary>How calls to a member reach Trapweave (<see cref="TrapExplanation.Mechanism"/>).</summary>
public enum TrapMechanism
{
    /// <summary>Calls to it cannot be intercepted (see <see cref="TrapExplanation.Reason"/>).</summary>
    None,
    /// <summary>Its own body was woven with a trap prologue: every call, from anywhere, is interceptable.</summary>
    Woven,
    /// <summary>Call sites to it in woven assemblies go through redirect stubs: calls from woven code are interceptable, calls from unwoven code are not.</summary>
    Redirected,
}
