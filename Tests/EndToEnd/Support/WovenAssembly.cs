using System.IO;
using System.Reflection.PortableExecutable;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Trapweave.Tests.EndToEnd.Support;

/// <summary>What a built assembly file shows of weaving, read with Cecil from a copy in memory (no file stays open).</summary>
public sealed class WovenAssembly
{
    const string TrapTable = "<Trapweave>TrapTable";

    WovenAssembly(string path, bool hasTrapTable, bool processedByFody, IReadOnlySet<string> trapped)
    {
        Path = path;
        HasTrapTable = hasTrapTable;
        ProcessedByFody = processedByFody;
        Trapped = trapped;
    }

    public string Path { get; }

    /// <summary>Whether the module has the <c>&lt;Trapweave&gt;TrapTable</c> type every woven module gets.</summary>
    public bool HasTrapTable { get; }

    /// <summary>Whether Fody processed the module (it adds a <c>&lt;Name&gt;_ProcessedByFody</c> type).</summary>
    public bool ProcessedByFody { get; }

    /// <summary>Methods, as <c>Namespace.Type::Method</c>, whose body reads an armed flag of the trap table: the trap prologue.</summary>
    public IReadOnlySet<string> Trapped { get; }

    public static WovenAssembly Read(string path)
    {
        using var module = ModuleDefinition.ReadModule(new MemoryStream(File.ReadAllBytes(path)));
        var types = module.GetTypes().ToArray();
        var trapped = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in types)
        foreach (var method in type.Methods)
        {
            if (!method.HasBody) continue;
            if (method.Body.Instructions.Any(i => i.OpCode == OpCodes.Ldsfld && i.Operand is FieldReference f && f.DeclaringType.FullName == TrapTable))
                trapped.Add($"{type.FullName}::{method.Name}");
        }
        return new WovenAssembly(path,
            types.Any(t => t.FullName == TrapTable),
            types.Any(t => t.Name.EndsWith("_ProcessedByFody", StringComparison.Ordinal)),
            trapped);
    }

    /// <summary>Whether the portable PDB at <paramref name="pdbPath"/> is the one the assembly's debug directory names (same PDB id).</summary>
    public static bool PdbMatches(string assemblyPath, string pdbPath)
    {
        using var pe = new PEReader(new MemoryStream(File.ReadAllBytes(assemblyPath)));
        var codeView = pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.CodeView);
        var expected = pe.ReadCodeViewDebugDirectoryData(codeView).Guid;
        using var provider = System.Reflection.Metadata.MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(File.ReadAllBytes(pdbPath)));
        var id = provider.GetMetadataReader().DebugMetadataHeader!.Id;
        return new Guid(id.Take(16).ToArray()) == expected;
    }
}
