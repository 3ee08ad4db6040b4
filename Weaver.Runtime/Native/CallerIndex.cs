using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Threading;

namespace Trapweave.Internal.Native;

/// <summary>
/// Which methods of a module call which of its methods directly (<c>call</c>/<c>callvirt</c>), read
/// from the module's file with System.Reflection.Metadata (no types are loaded), and whether the file
/// carries ReadyToRun code. Built once per module, on first use by <see cref="Trap.Explain"/> only
/// (CoreLib: about 40,000 bodies, 1.5 MB of IL; measured 250 ms cold, see PLAN.md).
/// </summary>
internal sealed class CallerIndex
{
    static readonly ConcurrentDictionary<Module, Lazy<CallerIndex?>> Indexes = new();

    // (callee token << 32) | caller token, sorted: every direct call site's pair, once.
    readonly long[] _calls;

    readonly Dictionary<int, int[]>? _inlinedInto;

    CallerIndex(long[] calls, bool readyToRun, Dictionary<int, int[]>? inlinedInto)
    {
        _calls = calls;
        HasReadyToRunCode = readyToRun;
        _inlinedInto = inlinedInto;
    }

    /// <summary>The module's file has a ReadyToRun header (precompiled code; whether the runtime uses it is the caller's question).</summary>
    public bool HasReadyToRunCode { get; }

    /// <summary>Whether the image records what its precompiled code inlined (<see cref="InlinedInto"/>).</summary>
    public bool RecordsInlining => _inlinedInto is not null;

    /// <summary>The metadata tokens of the methods whose precompiled code inlined the method with <paramref name="calleeToken"/>, as the image records them.</summary>
    public IReadOnlyList<int> InlinedInto(int calleeToken) =>
        _inlinedInto is not null && _inlinedInto.TryGetValue(calleeToken, out var inliners) ? inliners : Array.Empty<int>();

    /// <summary>The module's index, or null when its file cannot be read (loaded from bytes, single-file bundle, unreadable).</summary>
    public static CallerIndex? For(Module module) =>
        Indexes.GetOrAdd(module, m => new Lazy<CallerIndex?>(() => Build(m), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>The metadata tokens of the module's methods whose IL calls the method with <paramref name="calleeToken"/> directly.</summary>
    public IReadOnlyList<int> CallersOf(int calleeToken)
    {
        var found = new List<int>();
        var key = (long)calleeToken << 32;
        var at = Array.BinarySearch(_calls, key);
        if (at < 0) at = ~at;
        for (; at < _calls.Length && (int)(_calls[at] >> 32) == calleeToken; at++)
            found.Add((int)_calls[at]);
        return found;
    }

    static CallerIndex? Build(Module module)
    {
        var path = module.FullyQualifiedName;
        if (string.IsNullOrEmpty(path) || !File.Exists(path)) return null;
        try
        {
            using var file = File.OpenRead(path);
            using var pe = new PEReader(file);
            if (pe.PEHeaders.CorHeader is not { } cor) return null;
            var metadata = pe.GetMetadataReader();
            var pairs = new List<long>();
            foreach (var handle in metadata.MethodDefinitions)
            {
                var rva = metadata.GetMethodDefinition(handle).RelativeVirtualAddress;
                if (rva == 0) continue;
                AddCalls(metadata, pe.GetMethodBody(rva).GetILReader(), MetadataTokens.GetToken(handle), pairs);
            }
            pairs.Sort();
            var distinct = new List<long>(pairs.Count);
            foreach (var pair in pairs)
                if (distinct.Count == 0 || distinct[^1] != pair) distinct.Add(pair);
            // ReadyToRun images point their managed native header at the READYTORUN_HEADER (ECMA-335 II.25.3.3, readytorun-format.md).
            var readyToRun = cor.ManagedNativeHeaderDirectory.Size > 0 && (cor.Flags & CorFlags.ILLibrary) != 0;
            return new CallerIndex(distinct.ToArray(), readyToRun, readyToRun ? RecordedInlining(pe) : null);
        }
        catch (Exception)
        {
            // A diagnostic: a file this reader cannot take (I/O, malformed or unexpected metadata) lists no callers,
            // and Explain says so, rather than failing (the Lazy would cache the exception for the process).
            return null;
        }
    }

    static Dictionary<int, int[]>? RecordedInlining(PEReader pe)
    {
        try { return ReadyToRunInlining.Read(pe); }
        catch (Exception e) when (e is BadImageFormatException or IndexOutOfRangeException or ArgumentException)
        {
            return null; // an image this reader does not understand: fall back to the direct callers
        }
    }

    static void AddCalls(MetadataReader metadata, BlobReader il, int caller, List<long> pairs)
    {
        while (il.RemainingBytes > 0)
        {
            int code = il.ReadByte();
            OpCode op;
            if (code == 0xfe)
            {
                if (il.RemainingBytes == 0) return;
                op = IlOpCodes.TwoByte[il.ReadByte()];
            }
            else op = IlOpCodes.OneByte[code];
            OperandType? operand = IlOpCodes.IsKnown(op) ? op.OperandType : null;
            switch (operand)
            {
                case null: return; // not an opcode: stop reading this body
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: Skip(ref il, 1); break;
                case OperandType.InlineVar: Skip(ref il, 2); break;
                case OperandType.InlineI8 or OperandType.InlineR: Skip(ref il, 8); break;
                case OperandType.InlineSwitch:
                    if (il.RemainingBytes < 4) return;
                    var targets = il.ReadInt32();
                    if (targets < 0 || (long)targets * 4 > il.RemainingBytes) return;
                    Skip(ref il, targets * 4);
                    break;
                case OperandType.InlineMethod:
                    if (il.RemainingBytes < 4) return;
                    var token = il.ReadInt32();
                    // 0x28 call, 0x6f callvirt: the calls the JIT can inline (newobj targets constructors, which are not patched natively).
                    if (code is 0x28 or 0x6f)
                    {
                        var callee = Definition(metadata, token);
                        if (callee != 0) pairs.Add(((long)callee << 32) | (uint)caller);
                    }
                    break;
                default: Skip(ref il, 4); break;
            }
            if (il.RemainingBytes < 0) return;
        }
    }

    static void Skip(ref BlobReader il, int bytes)
    {
        if (bytes > il.RemainingBytes) il.Offset = il.Length;
        else il.Offset += bytes;
    }

    /// <summary>
    /// The MethodDef a call token names, or 0. A module names its own non-generic methods by MethodDef;
    /// its generic methods by a MethodSpec over one (followed here). Calls through a MemberRef (another
    /// module's members, or members of a generic type's instantiation) are not followed.
    /// </summary>
    static int Definition(MetadataReader metadata, int token)
    {
        var handle = MetadataTokens.EntityHandle(token);
        if (handle.Kind == HandleKind.MethodDefinition) return token;
        if (handle.Kind == HandleKind.MethodSpecification)
        {
            var method = metadata.GetMethodSpecification((MethodSpecificationHandle)handle).Method;
            if (method.Kind == HandleKind.MethodDefinition) return MetadataTokens.GetToken(method);
        }
        return 0;
    }
}
