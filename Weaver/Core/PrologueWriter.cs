using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Trapweave.Fody.Core;

/// <summary>
/// Inserts the trap into one method body:
/// <code>
///     ldsfld  TrapTable::mN          // the only cost while unarmed: a load and a branch
///     brtrue  ARMED
/// BODY: ...original body, untouched (branches to its first instruction still land here)...
/// ARMED:                             // appended after the body, outside every try block
///     ldsfld  TrapTable::mN; ldtoken H; call TrapDispatch.Lookup
///     dup; brfalse NO_HANDLER; castclass H
///     ldarg this, args...; ldloca handled; callvirt H::Invoke
///     ldloc handled; brfalse UNHANDLED; ret
/// UNHANDLED: pop (the result, if any); br BODY
/// NO_HANDLER: pop; br BODY
/// </code>
/// The two exits stay apart because their stacks differ (a result vs a delegate): a shared
/// join with mismatched stack types is invalid IL that the JIT miscompiles for struct results.
/// For constructors BODY starts after the base(...)/this(...) call. Both inserted blocks carry a
/// hidden sequence point, so debuggers and stack traces keep the method's own lines.
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
        var check = Instruction.Create(OpCodes.Ldsfld, flag);
        var index = il.IndexOf(bodyStart);
        il.Insert(index, check);
        il.Insert(index + 1, Instruction.Create(OpCodes.Brtrue, armed));

        // Armed block, appended after the last instruction.
        var noHandler = Instruction.Create(OpCodes.Pop);
        var unhandled = isVoid ? Instruction.Create(OpCodes.Br, bodyStart) : Instruction.Create(OpCodes.Pop);
        var end = il.Count;
        il.Add(armed);
        il.Add(Instruction.Create(OpCodes.Ldtoken, handlerType));
        il.Add(Instruction.Create(OpCodes.Call, _runtime.Lookup));
        il.Add(Instruction.Create(OpCodes.Dup));
        il.Add(Instruction.Create(OpCodes.Brfalse, noHandler));
        il.Add(Instruction.Create(OpCodes.Castclass, handlerType));
        var argCount = method.Parameters.Count + (method.HasThis ? 1 : 0);
        for (var i = 0; i < argCount; i++) il.Add(Instruction.Create(OpCodes.Ldarg, ArgAt(method, i)));
        il.Add(Instruction.Create(OpCodes.Ldloca, handled));
        il.Add(Instruction.Create(OpCodes.Callvirt, invoke));
        il.Add(Instruction.Create(OpCodes.Ldloc, handled));
        il.Add(Instruction.Create(OpCodes.Brfalse, unhandled));
        il.Add(Instruction.Create(OpCodes.Ret));
        il.Add(unhandled);
        if (!isVoid) il.Add(Instruction.Create(OpCodes.Br, bodyStart));
        il.Add(noHandler);
        il.Add(Instruction.Create(OpCodes.Br, bodyStart));

        // Regions that ran to the end of the method must not swallow the armed block.
        var first = il[end];
        foreach (var handler in body.ExceptionHandlers)
        {
            if (handler.TryEnd is null) handler.TryEnd = first;
            if (handler.HandlerEnd is null) handler.HandlerEnd = first;
        }

        body.OptimizeMacros();
        AddHiddenSequencePoints(method, check, armed);
    }

    /// <summary>The first instruction of the body the prologue guards: after base(...)/this(...) in constructors.</summary>
    static Instruction BodyStart(MethodDefinition method)
    {
        var il = method.Body.Instructions;
        if (!method.IsConstructor || method.IsStatic) return il[0];
        var type = method.DeclaringType;
        if (type.IsValueType && il[0].OpCode != OpCodes.Ldarg_0 && il[0].OpCode != OpCodes.Ldarg) return il[0];
        foreach (var instruction in il)
        {
            if (instruction.OpCode != OpCodes.Call || instruction.Operand is not MethodReference { Name: ".ctor" } callee) continue;
            var owner = callee.DeclaringType.GetElementType().FullName;
            if (owner == type.FullName || (!type.IsValueType && owner == type.BaseType?.GetElementType().FullName))
            {
                if (method.Body.ExceptionHandlers.Any(h => Covers(method, h, instruction)))
                    throw new WeavingError($"Cannot trap constructor {method.FullName}: its base(...) or this(...) call is inside a try block.", method);
                return instruction.Next ?? throw new WeavingError($"Cannot trap constructor {method.FullName}: nothing follows its base(...) call.", method);
            }
        }
        return il[0];
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

    static void AddHiddenSequencePoints(MethodDefinition method, params Instruction[] at)
    {
        var debug = method.DebugInformation;
        if (!debug.HasSequencePoints) return;
        var document = debug.SequencePoints[0].Document;
        var points = debug.SequencePoints.ToList();
        foreach (var instruction in at)
            points.Add(new SequencePoint(instruction, document) { StartLine = 0xfeefee, EndLine = 0xfeefee, StartColumn = 0, EndColumn = 0 });
        debug.SequencePoints.Clear();
        foreach (var point in points.OrderBy(p => p.Offset)) debug.SequencePoints.Add(point);
    }
}
