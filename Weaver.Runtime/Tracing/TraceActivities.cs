namespace Trapweave.Tracing;

/// <summary>
/// Traced calls leave the process as <see cref="System.Diagnostics.Activity"/> spans from an
/// <see cref="System.Diagnostics.ActivitySource"/> of this name, while a trace is recording them
/// (<see cref="CallTraceOptions.Activities"/>) and something listens (an OpenTelemetry pipeline with
/// <c>.AddSource("Trapweave")</c>). Each span is the call's: its parent is the span current where
/// the call was made, so spans nest as the calls do and W3C trace context goes on wherever .NET carries it (HttpClient).
/// </summary>
public static class TraceActivities
{
    public const string SourceName = "Trapweave";
}
