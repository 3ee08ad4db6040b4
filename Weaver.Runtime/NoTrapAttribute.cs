using System;

namespace Trapweave;

/// <summary>
/// Opts a method, a type (with its nested types) or a whole assembly out of weaving.
/// Such members are never intercepted, and registering on one throws <see cref="TrapException"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property |
                AttributeTargets.Event | AttributeTargets.Class | AttributeTargets.Struct |
                AttributeTargets.Interface | AttributeTargets.Assembly, Inherited = false)]
public sealed class NoTrapAttribute : Attribute
{
}
