using System.Reflection;

namespace Trapweave.Tracing;

/// <summary>Build for runtimes before .NET 8: every member throws (tracing needs the .NET 8 runtime).</summary>
public sealed class ValueRenderer
{
    public const string SecretMask = "***";

    public ValueRenderer(TraceRenderOptions? options = null) => throw Unsupported();

    public TraceRenderOptions Options => throw Unsupported();
    public static bool IsRenderingOnThisThread => throw Unsupported();
    public bool IsSecretName(string? name) => throw Unsupported();
    public string Render(object? value) => throw Unsupported();
    public string RenderArgument(ParameterInfo parameter, object? value) => throw Unsupported();
    public string RenderResult(MethodInfo method, object? value) => throw Unsupported();

    internal static TrapException Unsupported() => UnsupportedRuntime.Exception("Trapweave tracing");
}
