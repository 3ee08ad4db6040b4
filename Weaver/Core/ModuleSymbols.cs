using System;
using System.IO;
using System.Linq;
using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Pdb;

namespace Trapweave.Fody.Core;

/// <summary>
/// A module's debug symbols: found (embedded, or a PDB beside the assembly), read into the module
/// without keeping any file open, and written back as the same kind, so that the woven module keeps
/// its sequence points: portable stays portable, embedded stays embedded, none stays none.
/// </summary>
public sealed class ModuleSymbols
{
    static readonly byte[] PortableMagic = { (byte)'B', (byte)'S', (byte)'J', (byte)'B' };
    static readonly byte[] NativeMagic = Encoding.ASCII.GetBytes("Microsoft C/C++ MSF 7.00");

    readonly string? _recordedPath;

    ModuleSymbols(SymbolKind kind, string? pdbPath, string? recordedPath)
    {
        Kind = kind;
        PdbPath = pdbPath;
        _recordedPath = recordedPath;
    }

    public SymbolKind Kind { get; }

    /// <summary>The PDB file beside the assembly (portable and native symbols).</summary>
    public string? PdbPath { get; }

    /// <summary>
    /// Reads the module at <paramref name="assemblyPath"/> (in memory: no handle stays open on it or its
    /// PDB, so both can be replaced afterwards) together with its symbols, found embedded or beside it.
    /// Symbols that cannot be read are reported as a warning and the module is read without them.
    /// </summary>
    public static ModuleDefinition ReadModule(string assemblyPath, IAssemblyResolver resolver, IWeaverLog log, out ModuleSymbols symbols)
    {
        var finder = new Finder(assemblyPath, log);
        try
        {
            var module = ModuleDefinition.ReadModule(assemblyPath, Parameters(resolver, finder));
            symbols = finder.Found is { } kind
                ? new ModuleSymbols(kind, finder.PdbPath, PdbPathPreservingWriterProvider.RecordedPdbPath(module))
                : None;
            if (symbols.Kind == SymbolKind.Native)
                log.Warning($"Trapweave: '{finder.PdbPath}' is a Windows PDB; it is rewritten as a portable PDB, which every current .NET debugger reads.");
            return module;
        }
        catch (Exception e) when (finder.Found is not null)
        {
            var what = finder.Found == SymbolKind.Embedded ? "the embedded PDB" : $"'{finder.PdbPath}'";
            log.Warning($"Trapweave: could not read the symbols of {Path.GetFileName(assemblyPath)} from {what} ({e.GetType().Name}: {e.Message}); it is woven without symbols and any PDB file is left as it is.");
        }
        symbols = None;
        return ModuleDefinition.ReadModule(assemblyPath, Parameters(resolver, null));
    }

    static ReaderParameters Parameters(IAssemblyResolver resolver, ISymbolReaderProvider? symbols) => new(ReadingMode.Immediate)
    {
        InMemory = true,
        AssemblyResolver = resolver,
        ReadSymbols = symbols is not null,
        SymbolReaderProvider = symbols,
        ThrowIfSymbolsAreNotMatching = true,
    };

    static ModuleSymbols None => new(SymbolKind.None, null, null);

    /// <summary>
    /// Sets <paramref name="parameters"/> up to write the symbols back as they were found. Returns the
    /// stream the PDB is written to (a staged temporary file), to dispose after writing, or null.
    /// </summary>
    public Stream? ConfigureWriter(WriterParameters parameters, StagedFiles staged, string assemblyPath)
    {
        switch (Kind)
        {
            case SymbolKind.Portable:
            case SymbolKind.Native:
            {
                var temp = staged.Stage(PdbPath!);
                var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
                parameters.WriteSymbols = true;
                parameters.SymbolStream = stream;
                parameters.SymbolWriterProvider = new PdbPathPreservingWriterProvider(new PortablePdbWriterProvider(), _recordedPath ?? PdbPath!);
                return stream;
            }
            case SymbolKind.Embedded:
                parameters.WriteSymbols = true;
                parameters.SymbolWriterProvider = new PdbPathPreservingWriterProvider(new EmbeddedPortablePdbWriterProvider(),
                    _recordedPath ?? Path.ChangeExtension(Path.GetFullPath(assemblyPath), ".pdb"));
                return null;
            default:
                parameters.WriteSymbols = false;
                return null;
        }
    }

    /// <summary>Cecil's hook while reading the module: picks the symbol reader for what is there and remembers which.</summary>
    sealed class Finder : ISymbolReaderProvider
    {
        readonly string _assemblyPath;
        readonly IWeaverLog _log;

        public Finder(string assemblyPath, IWeaverLog log)
        {
            _assemblyPath = assemblyPath;
            _log = log;
        }

        /// <summary>The kind of symbols a reader was returned for, or null when none was.</summary>
        public SymbolKind? Found { get; private set; }
        public string? PdbPath { get; private set; }

        public ISymbolReader? GetSymbolReader(ModuleDefinition module, string fileName)
        {
            if (module.HasDebugHeader && module.GetDebugHeader().Entries.Any(e => e.Directory.Type == ImageDebugType.EmbeddedPortablePdb))
            {
                Found = SymbolKind.Embedded;
                return new EmbeddedPortablePdbReaderProvider().GetSymbolReader(module, _assemblyPath);
            }

            var pdbPath = Path.ChangeExtension(_assemblyPath, ".pdb");
            if (!File.Exists(pdbPath)) return null;
            byte[] bytes;
            try { bytes = File.ReadAllBytes(pdbPath); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.Warning($"Trapweave: could not read '{pdbPath}' ({e.Message}); {Path.GetFileName(_assemblyPath)} is woven without symbols and the PDB is left as it is.");
                return null;
            }

            ISymbolReaderProvider provider;
            if (StartsWith(bytes, PortableMagic))
            {
                Found = SymbolKind.Portable;
                provider = new PortablePdbReaderProvider();
            }
            else if (StartsWith(bytes, NativeMagic))
            {
                Found = SymbolKind.Native;
                provider = new NativePdbReaderProvider();
            }
            else
            {
                _log.Warning($"Trapweave: '{pdbPath}' is neither a portable nor a Windows PDB; {Path.GetFileName(_assemblyPath)} is woven without symbols and the file is left as it is.");
                return null;
            }
            PdbPath = pdbPath;
            // From memory: nothing keeps the PDB open, so it can be replaced afterwards.
            return provider.GetSymbolReader(module, new MemoryStream(bytes, writable: false));
        }

        public ISymbolReader? GetSymbolReader(ModuleDefinition module, Stream symbolStream) => throw new NotSupportedException();
    }

    static bool StartsWith(byte[] bytes, byte[] prefix)
    {
        if (bytes.Length < prefix.Length) return false;
        for (var i = 0; i < prefix.Length; i++)
            if (bytes[i] != prefix[i]) return false;
        return true;
    }
}
