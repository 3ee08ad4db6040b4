namespace Trapweave.Fody.Redirect;

/// <summary>How a call site reaches a redirected member; each kind has its own stub shape.</summary>
public enum CallKind
{
    /// <summary><c>call</c> or <c>ldftn</c> of a static method: the stub has the same signature.</summary>
    Static,
    /// <summary><c>callvirt</c> (or <c>ldvirtftn</c>) of an instance method of a class or interface: receiver first, dispatched in the stub.</summary>
    Virtual,
    /// <summary><c>call</c> (or <c>ldftn</c>) of a non-virtual instance method of a class: receiver first, no null check added.</summary>
    Direct,
    /// <summary><c>call</c> of an instance method of a value type: the receiver by reference.</summary>
    Value,
    /// <summary><c>constrained. T callvirt</c>: generic over T, the receiver as <c>ref T</c>.</summary>
    Constrained,
    /// <summary><c>newobj</c>, or <c>call .ctor</c> on a value type's address: a factory returning the new object (followed by <c>stobj</c> for the in-place form).</summary>
    Create,
}
