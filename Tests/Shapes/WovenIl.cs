using System.Reflection;
using System.Reflection.Emit;

namespace Trapweave.Tests.Shapes;

/// <summary>A minimal IL decoder: enough to see where the woven prologue and armed block sit.</summary>
sealed class WovenIl
{
    static readonly Dictionary<short, OpCode> Codes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    public readonly List<(int Offset, OpCode Op, int Operand)> Instructions = new();
    public readonly HashSet<int> BranchTargets = new();
    public readonly MethodBody Body;

    public WovenIl(MethodBase method)
    {
        Body = method.GetMethodBody()!;
        Instructions.AddRange(Decode(Body.GetILAsByteArray()!, BranchTargets));

        var flagLoads = Instructions
            .Where(x => x.Op == OpCodes.Ldsfld && method.Module.ResolveField(x.Operand)?.DeclaringType?.FullName == "<Trapweave>TrapTable")
            .ToList();
        FlagLoad = flagLoads[0].Offset;
        var load = Instructions.IndexOf(flagLoads[0]);
        // The weaver puts a nop before a flag load that would otherwise be the method's first instruction.
        PrologueStart = load == 1 && Instructions[0].Op == OpCodes.Nop ? 0 : FlagLoad;
        BodyStart = Instructions[load + 2].Offset;
        ArmedStart = flagLoads[1].Offset;
    }

    /// <summary>Every instruction of <paramref name="il"/> (offset, opcode, 4-byte operand or branch delta), collecting branch targets.</summary>
    public static List<(int Offset, OpCode Op, int Operand)> Decode(byte[] il, HashSet<int> branchTargets = null)
    {
        var instructions = new List<(int Offset, OpCode Op, int Operand)>();
        branchTargets ??= new HashSet<int>();
        var i = 0;
        while (i < il.Length)
        {
            var offset = i;
            var op = il[i] == 0xfe ? Codes[(short)(0xfe00 | il[i + 1])] : Codes[il[i]];
            i += op.Size;
            var operand = 0;
            switch (op.OperandType)
            {
                case OperandType.ShortInlineBrTarget:
                    operand = (sbyte)il[i];
                    i += 1;
                    branchTargets.Add(i + operand);
                    break;
                case OperandType.InlineBrTarget:
                    operand = BitConverter.ToInt32(il, i);
                    i += 4;
                    branchTargets.Add(i + operand);
                    break;
                case OperandType.InlineSwitch:
                    var n = BitConverter.ToInt32(il, i);
                    var baseOffset = i + 4 + 4 * n;
                    for (var k = 0; k < n; k++) branchTargets.Add(baseOffset + BitConverter.ToInt32(il, i + 4 + 4 * k));
                    i = baseOffset;
                    break;
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar: i += 1; break;
                case OperandType.InlineVar: i += 2; break;
                case OperandType.InlineI8:
                case OperandType.InlineR: i += 8; break;
                case OperandType.InlineNone: break;
                default:
                    operand = BitConverter.ToInt32(il, i);
                    i += 4;
                    break;
            }
            instructions.Add((offset, op, operand));
        }
        return instructions;
    }

    /// <summary>Offset of the prologue's first instruction (its <c>nop</c>, or the flag load).</summary>
    public int PrologueStart { get; }

    /// <summary>Offset of the prologue's flag load (<c>ldsfld</c>); its <c>brtrue</c> follows 5 bytes later.</summary>
    public int FlagLoad { get; }

    /// <summary>Offset of the original body's first instruction (after the prologue's branch).</summary>
    public int BodyStart { get; }

    /// <summary>Offset of the armed block appended after the body.</summary>
    public int ArmedStart { get; }

    /// <summary>Problems with the placement of what was woven, empty when sound.</summary>
    public IEnumerable<string> PlacementProblems()
    {
        if (BranchTargets.Contains(PrologueStart) || BranchTargets.Contains(FlagLoad)) yield return "a branch targets the prologue";
        if (BranchTargets.Contains(FlagLoad + 5)) yield return "a branch targets the prologue's brtrue";
        foreach (var c in Body.ExceptionHandlingClauses)
        {
            var tryEnd = c.TryOffset + c.TryLength;
            var handlerEnd = c.HandlerOffset + c.HandlerLength;
            if (c.TryOffset <= PrologueStart && PrologueStart < tryEnd || c.HandlerOffset <= PrologueStart && PrologueStart < handlerEnd)
                yield return "the prologue is inside a protected region";
            if (tryEnd > ArmedStart || handlerEnd > ArmedStart || (c.Flags == ExceptionHandlingClauseOptions.Filter && c.FilterOffset >= ArmedStart))
                yield return "the armed block is inside a protected region";
        }
    }
}
