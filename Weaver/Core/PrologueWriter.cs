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
///     ldsfld  TrapTable::&lt;&gt;9_       // the only cost while unarmed: a load and a branch
///     brtrue  ARMED
/// BODY: ...original body, untouched (branches to its first instruction still land here)...
/// ARMED:                             // appended after the body, outside every try block; sequence point: the method's first line
///     void:     ldarg this, args...; [ldtoken H]; ldsfld &lt;&gt;9_; call TrapTable::D(args..., slot)   // D returns whether a registration handled the call
///               brfalse BODY; ret
///     non-void: ldarg this, args...; ldloca handled; [ldtoken H]; ldsfld &lt;&gt;9_; call TrapTable::D(args..., ref handled, slot)
///               ldloc handled; ldsfld &lt;&gt;9_; pop; brfalse POP_RESULT; ret
/// POP_RESULT: pop; br BODY
/// </code>
/// <c>D</c> is the shape's dispatcher (<see cref="HandlerTypeFactory"/>): it looks the handler up and
/// calls it, and is inlined here when optimized. A generic shape's handler type <c>H</c> (this
/// instantiation's) is passed in: in shared code it is a lookup in this method's generic context. For constructors BODY starts after the
/// base(...)/this(...) call.
/// <para>
/// Coverage tools must count nothing of this (docs/ARCHITECTURE.md, "Coverage").
/// Microsoft.CodeCoverage (closed source) counts no branch of this shape, measured: all inserted code
/// is hidden but the call. Coverlet attributes every conditional branch to the
/// nearest visible line and has no per-branch exclusion; it leaves out a branch when one of the two
/// instructions before it loads a static named <c>&lt;&gt;9_…</c> of a <c>[CompilerGenerated]</c> class (Roslyn's cached
/// lambdas), and the flags are such fields. So every woven branch follows a flag load, and the one in
/// the prologue has an instruction before that load (coverlet does not look at a method's first
/// instruction). In a method returning nothing the flag's load before the call is the one before
/// the branch; with a result, a load before the branch exists only for that rule: it is
/// popped unused (the JIT drops it), and the armed block runs only while the method is patched.
/// The dispatcher has no sequence points: coverage tools do not instrument it.
/// </para>
/// <para>
/// While a registration handles a call, the method's frame is at the call to the dispatcher. The
/// stack is empty where its sequence point starts (the JIT maps a call's frame back to the last such
/// point), and the point has the location of the method's first line, so a stack trace through a
/// patched method points at that method, not at its closing brace. The result stays on the stack:
/// a local for it would be zeroed on every call, armed or not; a method returning nothing needs
/// no local at all.
/// </para>
/// </summary>
public sealed class PrologueWriter
{
    public void Write(MethodDefinition method, FieldReference flag, HandlerTypeFactory.Dispatch dispatch)
    {
        var dispatcher = dispatch.Dispatcher;
        var body = method.Body;
        body.SimplifyMacros();
        var il = body.Instructions;
        var bodyStart = BodyStart(method);
        var isVoid = HandlerTypeFactory.ReturnsNothing(method);

        // Prologue: inserted before BODY without retargeting anything that points at BODY.
        var index = il.IndexOf(bodyStart);
        var prologue = new List<Instruction>();
        if (index == 0) prologue.Add(Instruction.Create(OpCodes.Nop));
        prologue.Add(Instruction.Create(OpCodes.Ldsfld, flag));
        var prologueBranch = Instruction.Create(OpCodes.Brtrue, bodyStart);
        prologue.Add(prologueBranch);
        for (var i = 0; i < prologue.Count; i++) il.Insert(index + i, prologue[i]);

        // Armed block, appended after the last instruction. The result stays on the stack, so the
        // unhandled path pops it on its own: merging a TResult with nothing at BODY is invalid IL.
        var end = il.Count;
        var argCount = method.Parameters.Count + (method.HasThis ? 1 : 0);
        for (var i = 0; i < argCount; i++) il.Add(Instruction.Create(OpCodes.Ldarg, ArgAt(method, i)));
        Instruction afterCall;
        if (isVoid)
        {
            // The flag, the dispatcher's last argument, is one of the two instructions before the branch.
            AddHandlerToken(il, dispatch);
            il.Add(Instruction.Create(OpCodes.Ldsfld, flag));
            il.Add(Instruction.Create(OpCodes.Call, dispatcher));
            afterCall = Instruction.Create(OpCodes.Brfalse, bodyStart);
            il.Add(afterCall);
            il.Add(Instruction.Create(OpCodes.Ret));
        }
        else
        {
            var handled = new VariableDefinition(method.Module.TypeSystem.Boolean);
            body.Variables.Add(handled);
            var popResult = Instruction.Create(OpCodes.Pop);
            il.Add(Instruction.Create(OpCodes.Ldloca, handled));
            AddHandlerToken(il, dispatch);
            il.Add(Instruction.Create(OpCodes.Ldsfld, flag));
            il.Add(Instruction.Create(OpCodes.Call, dispatcher));
            afterCall = Instruction.Create(OpCodes.Ldloc, handled);
            il.Add(afterCall);
            AddBranchAfterFlag(il, flag, OpCodes.Brfalse, popResult);
            il.Add(Instruction.Create(OpCodes.Ret));
            il.Add(popResult);
            il.Add(Instruction.Create(OpCodes.Br, bodyStart));
        }
        var armed = il[end];
        prologueBranch.Operand = armed;

        // Regions that ran to the end of the method must not swallow the armed block.
        var first = il[end];
        foreach (var handler in body.ExceptionHandlers)
        {
            if (handler.TryEnd is null) handler.TryEnd = first;
            if (handler.HandlerEnd is null) handler.HandlerEnd = first;
        }

        body.OptimizeMacros();
        MapSequencePoints(method, prologue[0], armed, afterCall);
    }

    /// <summary>A generic shape's handler type, as this method sees it: its own instantiation.</summary>
    static void AddHandlerToken(IList<Instruction> il, HandlerTypeFactory.Dispatch dispatch)
    {
        if (dispatch.Handler is not null) il.Add(Instruction.Create(OpCodes.Ldtoken, dispatch.Handler));
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
    /// Hides the prologue and the armed block, except the armed call (from the flag's load to the
    /// call), which gets the location of the method's first visible sequence point (the frame of a
    /// handled call shows the method's own line).
    /// </summary>
    static void MapSequencePoints(MethodDefinition method, Instruction prologue, Instruction call, Instruction afterCall)
    {
        var debug = method.DebugInformation;
        if (!debug.HasSequencePoints) return;
        var points = debug.SequencePoints.ToList();
        var document = points[0].Document;
        SequencePoint Hidden(Instruction at) => new(at, document) { StartLine = HiddenLine, EndLine = HiddenLine, StartColumn = 0, EndColumn = 0 };
        points.Add(Hidden(prologue));
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
