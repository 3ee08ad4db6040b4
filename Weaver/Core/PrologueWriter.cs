using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Trapweave.Fody.Core;

/// <summary>
/// Inserts the trap into one method body:
/// <code>
///     [nop]                          // only when the flag load would be the first instruction
///     ldsfld  TrapTable::&lt;&gt;9_mN      // the only cost while unarmed: a load and a branch
///     brtrue  ARMED
/// BODY: ...original body, untouched (branches to its first instruction still land here)...
/// ARMED:                             // appended after the body, outside every try block
///     ldsfld  &lt;&gt;9_mN; ldtoken H; call TrapDispatch.Lookup; stloc handler
///     ldloc handler; ldsfld &lt;&gt;9_mN; pop; brtrue CALL
///     br BODY
/// CALL:                              // sequence point: the method's first line
///     ldloc handler; castclass H; ldarg this, args...; ldloca handled; callvirt H::Invoke
///     ldloc handled; ldsfld &lt;&gt;9_mN; pop; brfalse POP_RESULT (void: BODY); ret
/// POP_RESULT: pop; br BODY
/// </code>
/// For constructors BODY starts after the base(...)/this(...) call.
/// <para>
/// Coverage tools must count nothing of this (docs/ARCHITECTURE.md, "Coverage").
/// Microsoft.CodeCoverage (closed source) counts no branch of this shape, measured: all inserted code
/// is hidden but the call site, and the handler check jumps to the call (when it fell through into
/// the call's visible point, it was counted). Coverlet attributes every conditional branch to the
/// nearest visible line and has no per-branch exclusion; it leaves out a branch when one of the two
/// instructions before it loads a static named <c>&lt;&gt;9_…</c> of a <c>[CompilerGenerated]</c> class (Roslyn's cached
/// lambdas), and the flags are such fields. So every woven branch follows a flag load, and the one in
/// the prologue has an instruction before that load (coverlet does not look at a method's first
/// instruction). The loads before the armed block's branches exist only for that rule; they are
/// popped unused (the JIT drops them), and the armed block runs only while the method is patched.
/// </para>
/// <para>
/// While a registration handles a call, the method's frame is at the armed call. The stack is empty
/// where its sequence point starts (the JIT maps a call's frame back to the last such point), and the
/// point has the location of the method's first line, so a stack trace through a patched method
/// points at that method, not at its closing brace.
/// </para>
/// </summary>
public sealed class PrologueWriter
{
    readonly RuntimeReferences _runtime;

    public PrologueWriter(RuntimeReferences runtime) => _runtime = runtime;

    public void Write(MethodDefinition method, FieldReference flag, TypeReference handlerType, MethodReference invoke)
    {
        var body = method.Body;
        body.SimplifyMacros();
        var il = body.Instructions;
        var bodyStart = BodyStart(method);
        var isVoid = invoke.ReturnType.MetadataType == MetadataType.Void;

        var handled = new VariableDefinition(method.Module.TypeSystem.Boolean);
        body.Variables.Add(handled);

        // Prologue: inserted before BODY without retargeting anything that points at BODY.
        var armed = Instruction.Create(OpCodes.Ldsfld, flag);
        var index = il.IndexOf(bodyStart);
        var prologue = new List<Instruction>();
        if (index == 0) prologue.Add(Instruction.Create(OpCodes.Nop));
        prologue.Add(Instruction.Create(OpCodes.Ldsfld, flag));
        prologue.Add(Instruction.Create(OpCodes.Brtrue, armed));
        for (var i = 0; i < prologue.Count; i++) il.Insert(index + i, prologue[i]);

        // Armed block, appended after the last instruction. The handler crosses its null check in a
        // local, so the stack is empty at CALL: that is where the JIT marks the frame's IL offset. The
        // result stays on the stack (a local for it would be zeroed on every call, armed or not), so the
        // unhandled paths pop separately: merging a Delegate and a TResult at one label is invalid IL.
        var handlerLocal = new VariableDefinition(_runtime.Delegate);
        body.Variables.Add(handlerLocal);
        var end = il.Count;
        var callSite = Instruction.Create(OpCodes.Ldloc, handlerLocal);
        var afterCall = Instruction.Create(OpCodes.Ldloc, handled);
        var popResult = Instruction.Create(OpCodes.Pop);
        il.Add(armed);
        il.Add(Instruction.Create(OpCodes.Ldtoken, handlerType));
        il.Add(Instruction.Create(OpCodes.Call, _runtime.Lookup));
        il.Add(Instruction.Create(OpCodes.Stloc, handlerLocal));
        il.Add(Instruction.Create(OpCodes.Ldloc, handlerLocal));
        AddBranchAfterFlag(il, flag, OpCodes.Brtrue, callSite);
        // No handler for this flow. The check jumps to the call rather than falling through into it:
        // Microsoft.CodeCoverage counted the check when it fell through into the call's visible point.
        il.Add(Instruction.Create(OpCodes.Br, bodyStart));
        il.Add(callSite);
        il.Add(Instruction.Create(OpCodes.Castclass, handlerType));
        var argCount = method.Parameters.Count + (method.HasThis ? 1 : 0);
        for (var i = 0; i < argCount; i++) il.Add(Instruction.Create(OpCodes.Ldarg, ArgAt(method, i)));
        il.Add(Instruction.Create(OpCodes.Ldloca, handled));
        il.Add(Instruction.Create(OpCodes.Callvirt, invoke));
        il.Add(afterCall);
        AddBranchAfterFlag(il, flag, OpCodes.Brfalse, isVoid ? bodyStart : popResult);
        il.Add(Instruction.Create(OpCodes.Ret));
        if (!isVoid)
        {
            il.Add(popResult);
            il.Add(Instruction.Create(OpCodes.Br, bodyStart));
        }

        // Regions that ran to the end of the method must not swallow the armed block.
        var first = il[end];
        foreach (var handler in body.ExceptionHandlers)
        {
            if (handler.TryEnd is null) handler.TryEnd = first;
            if (handler.HandlerEnd is null) handler.HandlerEnd = first;
        }

        body.OptimizeMacros();
        MapSequencePoints(method, prologue[0], armed, callSite, afterCall);
    }

    /// <summary>A conditional branch on the value on the stack, right after a flag load coverlet can see (and nothing uses).</summary>
    static void AddBranchAfterFlag(IList<Instruction> il, FieldReference flag, OpCode branch, Instruction target)
    {
        il.Add(Instruction.Create(OpCodes.Ldsfld, flag));
        il.Add(Instruction.Create(OpCodes.Pop));
        il.Add(Instruction.Create(branch, target));
    }

    /// <summary>The first instruction of the body the prologue guards: after base(...)/this(...) in constructors.</summary>
    static Instruction BodyStart(MethodDefinition method)
    {
        var il = method.Body.Instructions;
        if (!method.IsConstructor || method.IsStatic) return il[0];
        var type = method.DeclaringType;
        var chain = type.IsValueType ? StructChainCall(method) : ClassChainCall(method);
        if (chain is null) return il[0];
        if (method.Body.ExceptionHandlers.Any(h => Covers(method, h, chain)))
            throw new WeavingError($"Cannot trap constructor {method.FullName}: its base(...) or this(...) call is inside a try block.", method);
        return chain.Next ?? throw new WeavingError($"Cannot trap constructor {method.FullName}: nothing follows its base(...) call.", method);
    }

    /// <summary>In a class, any <c>call</c> to an own or base constructor is the base(...)/this(...) call.</summary>
    static Instruction? ClassChainCall(MethodDefinition method)
    {
        var type = method.DeclaringType;
        foreach (var instruction in method.Body.Instructions)
        {
            if (instruction.OpCode != OpCodes.Call || instruction.Operand is not MethodReference { Name: ".ctor" } callee) continue;
            var owner = callee.DeclaringType.GetElementType().FullName;
            if (owner == type.FullName || owner == type.BaseType?.GetElementType().FullName) return instruction;
        }
        return null;
    }

    /// <summary>
    /// In a struct, <c>call S::.ctor</c> also constructs locals and fields in place; only a call whose
    /// receiver is the <c>ldarg.0</c> the body starts with is a this(...) chain. Tracks the stack depth
    /// over the leading instructions; anything it cannot follow means no chain (the trap then goes first,
    /// which is valid: a struct's <c>this</c> is usable from the start).
    /// </summary>
    static Instruction? StructChainCall(MethodDefinition method)
    {
        var il = method.Body.Instructions;
        if (il[0].OpCode != OpCodes.Ldarg || il[0].Operand != method.Body.ThisParameter) return null;
        var type = method.DeclaringType;
        var depthAt = new Dictionary<Instruction, int>();
        var depth = 1;
        for (var i = 1; i < il.Count; i++)
        {
            var instruction = il[i];
            if (depthAt.TryGetValue(instruction, out var known)) depth = known;
            else if (depth < 0) return null;
            if (instruction.OpCode == OpCodes.Call && instruction.Operand is MethodReference { Name: ".ctor" } callee &&
                callee.DeclaringType.GetElementType().FullName == type.FullName && depth == callee.Parameters.Count + 1)
                return instruction;
            if (instruction.OpCode.FlowControl is FlowControl.Return or FlowControl.Throw || instruction.OpCode.Code is Code.Leave or Code.Endfinally or Code.Switch)
                return null;
            var pops = Pops(instruction);
            if (pops < 0 || (depth -= pops) < 1) return null;
            depth += Pushes(instruction);
            if (instruction.Operand is Instruction target)
            {
                if (il.IndexOf(target) <= i) return null;
                depthAt[target] = depth;
            }
            if (instruction.OpCode.FlowControl == FlowControl.Branch) depth = -1;
        }
        return null;
    }

    static int Pops(Instruction instruction)
    {
        var op = instruction.OpCode;
        switch (op.StackBehaviourPop)
        {
            case StackBehaviour.Pop0: return 0;
            case StackBehaviour.Pop1: case StackBehaviour.Popi: case StackBehaviour.Popref: return 1;
            case StackBehaviour.Pop1_pop1: case StackBehaviour.Popi_pop1: case StackBehaviour.Popi_popi: case StackBehaviour.Popi_popi8:
            case StackBehaviour.Popi_popr4: case StackBehaviour.Popi_popr8: case StackBehaviour.Popref_pop1: case StackBehaviour.Popref_popi: return 2;
            case StackBehaviour.Popi_popi_popi: case StackBehaviour.Popref_popi_popi: case StackBehaviour.Popref_popi_popi8:
            case StackBehaviour.Popref_popi_popr4: case StackBehaviour.Popref_popi_popr8: case StackBehaviour.Popref_popi_popref: return 3;
            case StackBehaviour.Varpop when instruction.Operand is IMethodSignature m:
                return m.Parameters.Count + (m.HasThis && op.Code != Code.Newobj ? 1 : 0) + (op.Code == Code.Calli ? 1 : 0);
            default: return -1;
        }
    }

    static int Pushes(Instruction instruction)
    {
        var op = instruction.OpCode;
        switch (op.StackBehaviourPush)
        {
            case StackBehaviour.Push0: return 0;
            case StackBehaviour.Push1_push1: return 2;
            case StackBehaviour.Varpush:
                return instruction.Operand is IMethodSignature m && m.ReturnType.MetadataType != MetadataType.Void ? 1 : 0;
            default: return 1;
        }
    }

    static bool Covers(MethodDefinition method, ExceptionHandler handler, Instruction instruction)
    {
        var offset = method.Body.Instructions.IndexOf(instruction);
        var start = method.Body.Instructions.IndexOf(handler.TryStart);
        var end = handler.HandlerEnd is null ? int.MaxValue : method.Body.Instructions.IndexOf(handler.HandlerEnd);
        return offset >= start && offset < end;
    }

    static ParameterDefinition ArgAt(MethodDefinition method, int index) =>
        method.HasThis ? (index == 0 ? method.Body.ThisParameter : method.Parameters[index - 1]) : method.Parameters[index];

    /// <summary>
    /// Hides the prologue and the armed block, except the armed call (from the handler's load to the
    /// call), which gets the location of
    /// the method's first visible sequence point (the frame of a handled call shows the method's own line).
    /// </summary>
    static void MapSequencePoints(MethodDefinition method, Instruction prologue, Instruction armed, Instruction call, Instruction afterCall)
    {
        var debug = method.DebugInformation;
        if (!debug.HasSequencePoints) return;
        var points = debug.SequencePoints.ToList();
        var document = points[0].Document;
        SequencePoint Hidden(Instruction at) => new(at, document) { StartLine = HiddenLine, EndLine = HiddenLine, StartColumn = 0, EndColumn = 0 };
        points.Add(Hidden(prologue));
        points.Add(Hidden(armed));
        points.Add(Hidden(afterCall));
        var firstLine = points.Where(p => !p.IsHidden).OrderBy(p => p.Offset).FirstOrDefault();
        points.Add(firstLine is null
            ? Hidden(call)
            : new SequencePoint(call, firstLine.Document)
            {
                StartLine = firstLine.StartLine, StartColumn = firstLine.StartColumn, EndLine = firstLine.EndLine, EndColumn = firstLine.EndColumn,
            });
        debug.SequencePoints.Clear();
        foreach (var point in points.OrderBy(p => p.Offset)) debug.SequencePoints.Add(point);
    }

    const int HiddenLine = 0xfeefee;
}
