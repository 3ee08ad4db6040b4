using System.Reflection;
using System.Reflection.Emit;

namespace Trapweave.Internal;

/// <summary>
/// The IL opcodes by encoding, built once from <see cref="OpCodes"/>, for the runtime's readers of
/// method bodies (<see cref="IlScanner"/>, <c>Native.IlCloner</c>, <c>Native.CallerIndex</c>). An
/// encoding that is no opcode reads as <c>default(OpCode)</c>, whose <see cref="OpCode.Size"/> is 0.
/// </summary>
internal static class IlOpCodes
{
    /// <summary>Opcodes encoded in one byte, by that byte.</summary>
    public static readonly OpCode[] OneByte = new OpCode[0x100];

    /// <summary>Opcodes encoded as <c>0xfe</c> and a second byte, by the second byte.</summary>
    public static readonly OpCode[] TwoByte = new OpCode[0x100];

    static IlOpCodes()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.GetValue(null) is not OpCode op) continue;
            var value = (ushort)op.Value;
            if (value < 0x100) OneByte[value] = op;
            else if ((value & 0xff00) == 0xfe00) TwoByte[value & 0xff] = op;
        }
    }

    /// <summary>Whether <paramref name="op"/> is an opcode (not an unused encoding).</summary>
    public static bool IsKnown(OpCode op) => op.Size != 0;

    /// <summary>Whether the operand of <paramref name="op"/> is a metadata token.</summary>
    public static bool HasToken(OpCode op) => op.OperandType is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok
        or OperandType.InlineType or OperandType.InlineSig or OperandType.InlineString;

    /// <summary>
    /// Reads the instruction at <paramref name="at"/>: its opcode, where its operand starts and where
    /// the next instruction starts; false when the bytes there are not a whole instruction.
    /// </summary>
    public static bool TryRead(byte[] il, int at, out OpCode op, out int operandAt, out int next)
    {
        op = default;
        operandAt = next = at;
        if (at >= il.Length) return false;
        if (il[at] == 0xfe)
        {
            if (at + 1 >= il.Length) return false;
            op = TwoByte[il[at + 1]];
            operandAt = at + 2;
        }
        else
        {
            op = OneByte[il[at]];
            operandAt = at + 1;
        }
        long size;
        switch (op.OperandType)
        {
            case OperandType.InlineNone: size = 0; break;
            case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: size = 1; break;
            case OperandType.InlineVar: size = 2; break;
            case OperandType.InlineI8 or OperandType.InlineR: size = 8; break;
            case OperandType.InlineSwitch:
                if (operandAt + 4 > il.Length) return false;
                size = 4 + 4L * System.BitConverter.ToInt32(il, operandAt);
                break;
            default: size = 4; break; // tokens, InlineBrTarget, InlineI, ShortInlineR
        }
        if (!IsKnown(op) || size < 0 || operandAt + size > il.Length) return false;
        next = (int)(operandAt + size);
        return true;
    }
}
