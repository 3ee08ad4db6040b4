using System;
using System.Collections.Generic;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Trapweave.Internal.Native;

/// <summary>
/// What a ReadyToRun image's compiler recorded as inlined where, read as the runtime reads it for
/// profilers' ReJIT (dotnet/runtime docs/design/coreclr/botr/readytorun-format.md; writer: crossgen2's
/// InliningInfoNode). Two section formats, both a NativeFormat hashtable of sequences of unsigned
/// integers: InliningInfo2 (114: the inlinee's MethodDef row shifted left with a "another module" bit,
/// then the inliners' rows as ascending deltas in the same form) and CrossModuleInlineInfo (119, .NET 10's
/// framework: the inlinee's row shifted left by two flag bits, a module index when the image's version
/// bubble has several modules, then the inliners' row deltas). Every inlining is recorded except of
/// [NonVersionable] inlinees. Only this module's methods are kept.
/// </summary>
internal static class ReadyToRunInlining
{
    const uint Signature = 0x00525452; // "RTR"
    const uint MultiModuleVersionBubble = 0x40;
    const uint InliningInfo2 = 114;
    const uint CrossModuleInlineInfo = 119;

    /// <summary>Inlinee MethodDef token to the MethodDef tokens of the methods whose precompiled code inlined it; null when the image records none.</summary>
    public static Dictionary<int, int[]>? Read(PEReader pe)
    {
        var cor = pe.PEHeaders.CorHeader;
        if (cor is null || cor.ManagedNativeHeaderDirectory.Size < 16) return null;
        var header = pe.GetSectionData(cor.ManagedNativeHeaderDirectory.RelativeVirtualAddress).GetReader();
        if (header.Length < 16 || header.ReadUInt32() != Signature) return null;
        header.ReadUInt16(); // major version
        header.ReadUInt16(); // minor version
        var flags = header.ReadUInt32();
        var sections = header.ReadUInt32();
        for (var i = 0; i < sections && header.RemainingBytes >= 12; i++)
        {
            var type = header.ReadUInt32();
            var rva = header.ReadInt32();
            var size = header.ReadInt32();
            if (type != InliningInfo2 && type != CrossModuleInlineInfo) continue;
            var block = pe.GetSectionData(rva);
            if (size <= 0 || block.Length < size) return null;
            var table = block.GetReader(0, size).ReadBytes(size);
            var inliners = new Dictionary<int, int[]>();
            foreach (var entry in Entries(table))
            {
                var (inlinee, found) = type == InliningInfo2 ? ReadInliningInfo2(entry) : ReadCrossModule(entry, (flags & MultiModuleVersionBubble) != 0);
                if (inlinee != 0 && found.Count > 0) inliners[inlinee] = found.ToArray();
            }
            return inliners;
        }
        return null;
    }

    static (int Inlinee, List<int> Inliners) ReadInliningInfo2(uint[] entry)
    {
        var found = new List<int>();
        if (entry.Length == 0 || (entry[0] & 1) != 0) return (0, found); // another module's inlinee
        var row = 0u;
        for (var i = 1; i < entry.Length; i++)
        {
            row += entry[i] >> 1;
            if ((entry[i] & 1) != 0) { i++; continue; } // an inliner of another module: its index follows
            found.Add(MethodDef(row));
        }
        return (MethodDef(entry[0] >> 1), found);
    }

    static (int Inlinee, List<int> Inliners) ReadCrossModule(uint[] entry, bool multiModule)
    {
        var found = new List<int>();
        if (entry.Length == 0 || (entry[0] & 1) != 0) return (0, found); // an inlinee outside the version bubble (an IL body import)
        var i = 1;
        if (multiModule)
        {
            if (entry.Length < 2 || entry[1] != 0) return (0, found); // another module of the bubble
            i = 2;
        }
        if ((entry[0] & 2) != 0 && i < entry.Length) i += 1 + (int)entry[i]; // inliners outside the bubble: a count, then their imports
        var row = 0u;
        for (; i < entry.Length; i++)
        {
            if (!multiModule) { row += entry[i]; found.Add(MethodDef(row)); continue; }
            row += entry[i] >> 1;
            if ((entry[i] & 1) != 0) { i++; continue; }
            found.Add(MethodDef(row));
        }
        return (MethodDef(entry[0] >> 2), found);
    }

    /// <summary>The hashtable's entries, each a counted sequence of unsigned integers.</summary>
    static IEnumerable<uint[]> Entries(byte[] table)
    {
        var at = 0;
        var shape = table[at++];
        var baseOffset = at;
        var buckets = 1 << (shape >> 2);
        var indexSize = (shape & 3) switch { 0 => 1, 1 => 2, _ => 4 };
        for (var bucket = 0; bucket < buckets; bucket++)
        {
            var start = baseOffset + (int)ReadFixed(table, baseOffset + bucket * indexSize, indexSize);
            var end = baseOffset + (int)ReadFixed(table, baseOffset + (bucket + 1) * indexSize, indexSize);
            var p = start;
            while (p < end)
            {
                p++; // the low byte of the entry's hash code
                var from = p;
                var entryAt = from + DecodeSigned(table, ref p);
                var count = DecodeUnsigned(table, ref entryAt);
                if (count > table.Length) throw new BadImageFormatException("ReadyToRun inlining info: an entry longer than its table");
                var values = new uint[count];
                for (var k = 0; k < values.Length; k++) values[k] = DecodeUnsigned(table, ref entryAt);
                yield return values;
            }
        }
    }

    static int MethodDef(uint row) => 0x06000000 | (int)row;

    static uint ReadFixed(byte[] table, int at, int size) => size switch
    {
        1 => table[at],
        2 => BitConverter.ToUInt16(table, at),
        _ => BitConverter.ToUInt32(table, at),
    };

    // NativeFormat's variable-length integers: the count of low one-bits in the first byte says how many bytes follow.
    static uint DecodeUnsigned(byte[] t, ref int at)
    {
        uint first = t[at];
        uint value;
        if ((first & 1) == 0) { value = first >> 1; at += 1; }
        else if ((first & 2) == 0) { value = (first >> 2) | ((uint)t[at + 1] << 6); at += 2; }
        else if ((first & 4) == 0) { value = (first >> 3) | ((uint)t[at + 1] << 5) | ((uint)t[at + 2] << 13); at += 3; }
        else if ((first & 8) == 0) { value = (first >> 4) | ((uint)t[at + 1] << 4) | ((uint)t[at + 2] << 12) | ((uint)t[at + 3] << 20); at += 4; }
        else if ((first & 16) == 0) { value = BitConverter.ToUInt32(t, at + 1); at += 5; }
        else throw new BadImageFormatException("ReadyToRun inlining info: an integer of unknown encoding");
        return value;
    }

    static int DecodeSigned(byte[] t, ref int at)
    {
        int first = t[at];
        int value;
        if ((first & 1) == 0) { value = (sbyte)first >> 1; at += 1; }
        else if ((first & 2) == 0) { value = (first >> 2) | ((sbyte)t[at + 1] << 6); at += 2; }
        else if ((first & 4) == 0) { value = (first >> 3) | (t[at + 1] << 5) | ((sbyte)t[at + 2] << 13); at += 3; }
        else if ((first & 8) == 0) { value = (first >> 4) | (t[at + 1] << 4) | (t[at + 2] << 12) | ((sbyte)t[at + 3] << 20); at += 4; }
        else if ((first & 16) == 0) { value = BitConverter.ToInt32(t, at + 1); at += 5; }
        else throw new BadImageFormatException("ReadyToRun inlining info: an integer of unknown encoding");
        return value;
    }
}
