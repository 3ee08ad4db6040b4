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
}
