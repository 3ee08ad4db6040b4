using System;

namespace Trapweave;

/// <summary>
/// Marks a property, field, parameter or return value whose value a trace must never show: it is
/// rendered as <c>***</c> (its getter is not even called). Names matching
/// <c>TraceRenderOptions.SecretNamePatterns</c> are masked the same way without the attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter |
                AttributeTargets.ReturnValue, Inherited = true)]
public sealed class TraceSecretAttribute : Attribute
{
}
