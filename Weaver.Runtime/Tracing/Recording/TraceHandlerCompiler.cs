using System;
using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Threading.Tasks;
using Trapweave.Internal;

namespace Trapweave.Tracing;

/// <summary>
/// Emits the trace handler of one traced method (compiled on its first traced call, kept for the
/// process):
/// <code>
/// frame = TraceRecorder.Enter(binding, self, new object[] { args... })   // boxed copies, rendered now
/// if (frame == null) return unhandled                                     // the body runs, untraced
/// try {
///     try { TraceRecorder.Pass(frame); result = Method(self, args...);    // byrefs and ref structs passed on as they came
///           TraceRecorder.Returned...(frame, result) }                    // a task: at its completion (a stand-in task)
///     filter (TraceRecorder.Failed(exception, frame)) { }                 // records it, never catches it
/// } finally { TraceRecorder.Leave(frame) }
/// handled = true; return result
/// </code>
/// A constructor's body runs after its trap, so its call is recorded as it starts and handed back unhandled.
/// </summary>
internal static class TraceHandlerCompiler
{
    static readonly ConcurrentDictionary<TrapTarget, MethodInfo> Compiled = new();

    static readonly Type Recorder = typeof(TraceRecorder);
    static readonly MethodInfo Enter = Recorder.GetMethod(nameof(TraceRecorder.Enter))!;
    static readonly MethodInfo Pass = Recorder.GetMethod(nameof(TraceRecorder.Pass))!;
    static readonly MethodInfo Leave = Recorder.GetMethod(nameof(TraceRecorder.Leave))!;
    static readonly MethodInfo Started = Recorder.GetMethod(nameof(TraceRecorder.Started))!;
    static readonly MethodInfo ReturnedVoid = Recorder.GetMethod(nameof(TraceRecorder.ReturnedVoid))!;
    static readonly MethodInfo Returned = Recorder.GetMethod(nameof(TraceRecorder.Returned))!;
    static readonly MethodInfo ReturnedUnavailable = Recorder.GetMethod(nameof(TraceRecorder.ReturnedUnavailable))!;
    static readonly MethodInfo ReturnedTask = Recorder.GetMethod(nameof(TraceRecorder.ReturnedTask))!;
    static readonly MethodInfo ReturnedTaskOf = Recorder.GetMethod(nameof(TraceRecorder.ReturnedTaskOf))!;
    static readonly MethodInfo ReturnedTaskKept = Recorder.GetMethod(nameof(TraceRecorder.ReturnedTaskKept))!;
    static readonly MethodInfo ReturnedValueTask = Recorder.GetMethod(nameof(TraceRecorder.ReturnedValueTask))!;
    static readonly MethodInfo ReturnedValueTaskOf = Recorder.GetMethod(nameof(TraceRecorder.ReturnedValueTaskOf))!;
    static readonly MethodInfo Failed = Recorder.GetMethod(nameof(TraceRecorder.Failed))!;

    public static MethodInfo Compile(TrapTarget target) => Compiled.GetOrAdd(target, Emit);

    static MethodInfo Emit(TrapTarget t)
    {
        var parameters = new Type[t.HandlerParameters.Length + 1];
        parameters[0] = typeof(Binding);
        t.HandlerParameters.CopyTo(parameters, 1);
        var handler = HandlerMethod.Define("Trace_" + t.Member.Name, t.HandlerReturn, parameters, HandlerEmitter.TypesOf(t));
        var il = handler.IL;
        var first = t.HasSelf ? 2 : 1;
        var ps = t.Parameters;
        var frame = il.DeclareLocal(typeof(TraceFrame));

        // frame = Enter(binding, self, new object[] { args... })
        il.Emit(OpCodes.Ldarg_0);
        if (t.HasSelf) BoxedHandlerCompiler.LoadBoxed(il, 1, t.HandlerParameters[0]);
        else il.Emit(OpCodes.Ldnull);
        il.LdcI4(ps.Length);
        il.Emit(OpCodes.Newarr, typeof(object));
        for (var i = 0; i < ps.Length; i++)
        {
            il.Emit(OpCodes.Dup);
            il.LdcI4(i);
            BoxedHandlerCompiler.LoadBoxed(il, first + i, ps[i].ParameterType);
            il.Emit(OpCodes.Stelem_Ref);
        }
        il.Emit(OpCodes.Call, Enter);
        il.Emit(OpCodes.Stloc, frame);
        var record = il.DefineLabel();
        il.Emit(OpCodes.Ldloc, frame);
        il.Emit(OpCodes.Brtrue, record);
        BoxedHandlerCompiler.EmitUnhandled(il, t);
        il.MarkLabel(record);

        if (t.IsConstructor)
        {
            il.Emit(OpCodes.Ldloc, frame);
            il.Emit(OpCodes.Call, Started);
            BoxedHandlerCompiler.EmitUnhandled(il, t);
            return handler.Create();
        }

        var result = t.HandlerReturn == typeof(void) ? null : il.DeclareLocal(t.HandlerReturn);
        il.BeginExceptionBlock();
        il.BeginExceptionBlock();
        il.Emit(OpCodes.Ldloc, frame);
        il.Emit(OpCodes.Call, Pass);
        if (t.HasSelf)
        {
            il.Ldarg(1);
            HandlerEmitter.EmitAs(il, t.HandlerParameters[0], t.SelfType!);
        }
        for (var i = 0; i < ps.Length; i++)
        {
            il.Ldarg(first + i);
            HandlerEmitter.EmitAs(il, t.HandlerParameters[first - 1 + i], ps[i].ParameterType);
        }
        // A non-virtual call to this exact body: dispatch hands it to the flow's registrations, else the body runs.
        il.Emit(OpCodes.Call, (MethodInfo)t.Method);
        EmitReturned(il, t, frame, result);
        il.BeginExceptFilterBlock();
        il.Emit(OpCodes.Ldloc, frame);
        il.Emit(OpCodes.Call, Failed);
        il.BeginCatchBlock(null!);
        // Never reached: the filter always declines.
        il.Emit(OpCodes.Pop);
        il.Emit(OpCodes.Rethrow);
        il.EndExceptionBlock();
        il.BeginFinallyBlock();
        il.Emit(OpCodes.Ldloc, frame);
        il.Emit(OpCodes.Call, Leave);
        il.EndExceptionBlock();

        il.Ldarg(parameters.Length - 1);
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Stind_I1);
        if (result is not null) il.Emit(OpCodes.Ldloc, result);
        il.Emit(OpCodes.Ret);
        return handler.Create();
    }

    /// <summary>Records the outcome of the original (its result on the stack) and keeps the result for the return.</summary>
    static void EmitReturned(ILGenerator il, TrapTarget t, LocalBuilder frame, LocalBuilder? result)
    {
        var returns = t.ReturnType;
        if (result is null)
        {
            il.Emit(OpCodes.Ldloc, frame);
            il.Emit(OpCodes.Call, ReturnedVoid);
            return;
        }
        il.Emit(OpCodes.Stloc, result);
        if (returns.IsByRef || returns.IsByRefLike)
        {
            il.Emit(OpCodes.Ldloc, frame);
            il.Emit(OpCodes.Call, ReturnedUnavailable);
            return;
        }
        il.Emit(OpCodes.Ldloc, frame);
        il.Emit(OpCodes.Ldloc, result);
        if (returns == typeof(ValueTask))
        {
            il.Emit(OpCodes.Call, ReturnedValueTask);
            il.Emit(OpCodes.Stloc, result);
        }
        else if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            il.Emit(OpCodes.Call, ReturnedValueTaskOf.MakeGenericMethod(returns.GetGenericArguments()));
            il.Emit(OpCodes.Stloc, result);
        }
        else if (returns == typeof(Task))
        {
            il.Emit(OpCodes.Call, ReturnedTask);
            il.Emit(OpCodes.Stloc, result);
        }
        else if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>))
        {
            il.Emit(OpCodes.Call, ReturnedTaskOf.MakeGenericMethod(returns.GetGenericArguments()));
            il.Emit(OpCodes.Stloc, result);
        }
        else if (typeof(Task).IsAssignableFrom(returns))
        {
            il.Emit(OpCodes.Call, ReturnedTaskKept);
        }
        else
        {
            il.EmitBox(returns);
            il.Emit(OpCodes.Call, Returned);
        }
    }
}
