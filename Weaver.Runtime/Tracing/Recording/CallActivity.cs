using System;
using System.Diagnostics;
using System.Reflection;
using Trapweave.Internal;

namespace Trapweave.Tracing;

/// <summary>
/// The span of one traced call (<see cref="TraceActivities"/>), named <c>Type.Method</c>, with the
/// OpenTelemetry code attributes, the rendered arguments and result, and an error status and
/// exception event when it threw. Made only while a listener wants it.
/// </summary>
internal static class CallActivity
{
    static readonly ActivitySource Source = new(TraceActivities.SourceName, typeof(CallActivity).Assembly.GetName().Version?.ToString());

    /// <summary>Whether a call seen by <paramref name="sessions"/> is to be a span: some session wants them and something listens.</summary>
    public static bool Wanted(TraceSessionRegistration[] sessions)
    {
        if (!Source.HasListeners()) return false;
        foreach (var session in sessions)
            if (session.Options.Activities && !session.Disposed) return true;
        return false;
    }

    /// <summary>Starts the call's span (current from here on, in this flow), or null when the listeners sample it out.</summary>
    public static Activity? Start(TrapTarget target, object?[] arguments, ValueRenderer renderer, bool isAsync)
    {
        var member = target.Member;
        var type = member.DeclaringType;
        var activity = Source.StartActivity((type is null ? "" : TypeNames.ShortName(type) + ".") + member.Name, ActivityKind.Internal);
        if (activity is null || !activity.IsAllDataRequested) return activity;
        if (type is not null) activity.SetTag("code.namespace", TypeNames.FullName(type));
        activity.SetTag("code.function", member.Name);
        if (isAsync) activity.SetTag("trapweave.async", true);
        var parameters = target.Parameters;
        for (var i = 0; i < parameters.Length && i < arguments.Length; i++)
        {
            var parameter = parameters[i];
            var value = parameter.IsOut && parameter.ParameterType.IsByRef ? "<out>" : renderer.RenderArgument(parameter, arguments[i]);
            activity.SetTag("trapweave.arg." + (parameter.Name ?? "arg" + i), value);
        }
        return activity;
    }

    /// <summary>Ends the span with the call's outcome.</summary>
    public static void Stop(Activity activity, TrapTarget target, ValueRenderer renderer, object? result, bool hasResult, Exception? exception, bool arranged)
    {
        if (activity.IsAllDataRequested)
        {
            if (arranged) activity.SetTag("trapweave.arranged", true);
            if (exception is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, exception.Message);
                // OpenTelemetry's exception event (its semantic conventions), as Activity.AddException writes it on .NET 9.
                activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
                {
                    ["exception.type"] = exception.GetType().FullName,
                    ["exception.message"] = exception.Message,
                    ["exception.stacktrace"] = exception.ToString(),
                }));
            }
            else if (hasResult)
            {
                activity.SetTag("trapweave.result", target.Member is MethodInfo method ? renderer.RenderResult(method, result) : renderer.Render(result));
            }
        }
        activity.Stop();
    }
}
