using System;
using System.Reflection;
using System.Threading.Tasks;
using Trapweave.Internal;

namespace Trapweave.Tracing;

/// <summary>
/// Tracing's registration on one traced method (one instantiation), shared by every session: its
/// handler records the call for the sessions the flow sees (<see cref="Binding.Traces"/>) and runs
/// it. Not in the registry: dispatch puts it in front of the flow's registrations while a trace is
/// seen (<see cref="TraceDispatch"/>), and the last session's end retires it.
/// </summary>
[System.Diagnostics.StackTraceHidden]
internal sealed class TraceTargetRegistration : Registration
{
    public TraceTargetRegistration(TrapTarget target) : base(target, isGlobal: true, route: null)
    {
        IsAsync = IsAwaitable(target.ReturnType);
    }

    /// <summary>Returns a task: timed to the task's completion.</summary>
    public readonly bool IsAsync;

    public override string Kind => "Trace";

    protected override MethodInfo Compile(TrapTarget target) => TraceHandlerCompiler.Compile(target);

    internal static bool IsAwaitable(Type type) =>
        typeof(Task).IsAssignableFrom(type) || type == typeof(ValueTask) ||
        (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>));
}
