namespace Trapweave.Tests.Redirect.Support;

/// <summary>The shape of <c>Random.NextBytes(Span&lt;byte&gt;)</c> and <c>RandomNumberGenerator.Fill</c>: expression trees cannot hold spans, so these are patched by delegate.</summary>
public delegate void SpanFill(Span<byte> buffer);
