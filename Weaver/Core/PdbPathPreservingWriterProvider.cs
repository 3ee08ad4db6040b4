using System;
using System.IO;
using System.Linq;
using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Trapweave.Fody.Core;

/// <summary>
/// Wraps Cecil's PDB writer so the assembly's CodeView debug entry records the PDB path the compiler
/// recorded, not the temporary file (or, for streams, the bare <c>AssemblyName.pdb</c>) Cecil would name.
/// The PDB id and age are Cecil's, so assembly and PDB still match.
/// </summary>
public sealed class PdbPathPreservingWriterProvider : ISymbolWriterProvider
{
    const uint Rsds = 0x53445352;

    readonly ISymbolWriterProvider _inner;
    readonly string _pdbPath;

    public PdbPathPreservingWriterProvider(ISymbolWriterProvider inner, string pdbPath)
    {
        _inner = inner;
        _pdbPath = pdbPath;
    }

    public ISymbolWriter GetSymbolWriter(ModuleDefinition module, string fileName) => new Writer(_inner.GetSymbolWriter(module, fileName), _pdbPath);

    public ISymbolWriter GetSymbolWriter(ModuleDefinition module, Stream symbolStream) => new Writer(_inner.GetSymbolWriter(module, symbolStream), _pdbPath);

    /// <summary>The PDB path in a module's CodeView debug entry, or null when it has none.</summary>
    public static string? RecordedPdbPath(ModuleDefinition module)
    {
        if (!module.HasDebugHeader) return null;
        var entry = module.GetDebugHeader().Entries.FirstOrDefault(e => e.Directory.Type == ImageDebugType.CodeView);
        var data = entry?.Data;
        if (data is null || data.Length <= 24 || BitConverter.ToUInt32(data, 0) != Rsds) return null;
        var end = Array.IndexOf(data, (byte)0, 24);
        if (end < 0) end = data.Length;
        return end == 24 ? null : Encoding.UTF8.GetString(data, 24, end - 24);
    }

    static ImageDebugHeaderEntry WithPath(ImageDebugHeaderEntry entry, string path)
    {
        var data = entry.Data;
        if (data is null || data.Length < 24 || BitConverter.ToUInt32(data, 0) != Rsds) return entry;
        var pathBytes = Encoding.UTF8.GetBytes(path);
        var patched = new byte[24 + pathBytes.Length + 1];
        Buffer.BlockCopy(data, 0, patched, 0, 24); // signature, PDB id guid, age
        Buffer.BlockCopy(pathBytes, 0, patched, 24, pathBytes.Length);
        var directory = entry.Directory;
        directory.SizeOfData = patched.Length;
        return new ImageDebugHeaderEntry(directory, patched);
    }

    sealed class Writer : ISymbolWriter
    {
        readonly ISymbolWriter _inner;
        readonly string _pdbPath;

        public Writer(ISymbolWriter inner, string pdbPath)
        {
            _inner = inner;
            _pdbPath = pdbPath;
        }

        public ISymbolReaderProvider GetReaderProvider() => _inner.GetReaderProvider();

        public ImageDebugHeader GetDebugHeader()
        {
            var header = _inner.GetDebugHeader();
            if (!header.HasEntries) return header;
            return new ImageDebugHeader(header.Entries
                .Select(e => e.Directory.Type == ImageDebugType.CodeView ? WithPath(e, _pdbPath) : e)
                .ToArray());
        }

        public void Write(MethodDebugInformation info) => _inner.Write(info);

        public void Write(ICustomDebugInformationProvider provider) => _inner.Write(provider);

        public void Write() => _inner.Write();

        public void Dispose() => _inner.Dispose();
    }
}
