using System.IO;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Trapweave.Tests.Corpus.Support;

/// <summary>
/// The distinct visible sequence points of every method in an assembly's embedded portable PDB, by
/// "Type::Method" (overloads together). Distinct: a woven method's armed call repeats its first line on purpose (docs/ARCHITECTURE.md).
/// </summary>
public static class SequencePoints
{
    public static Dictionary<string, List<string>> Of(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var metadata = pe.GetMetadataReader();
        var entry = pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
        using var provider = pe.ReadEmbeddedPortablePdbDebugDirectoryData(entry);
        var pdb = provider.GetMetadataReader();
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var handle in pdb.MethodDebugInformation)
        {
            var points = pdb.GetMethodDebugInformation(handle).GetSequencePoints()
                .Where(p => !p.IsHidden)
                .Select(p => $"{pdb.GetString(pdb.GetDocument(p.Document).Name)}:{p.StartLine}:{p.StartColumn}-{p.EndLine}:{p.EndColumn}")
                .ToList();
            if (points.Count == 0) continue;
            var method = metadata.GetMethodDefinition(handle.ToDefinitionHandle());
            var type = metadata.GetTypeDefinition(method.GetDeclaringType());
            var name = metadata.GetString(type.Namespace) + "." + metadata.GetString(type.Name) + "::" + metadata.GetString(method.Name);
            if (!result.TryGetValue(name, out var all)) result[name] = all = new List<string>();
            all.AddRange(points);
        }
        return result.ToDictionary(p => p.Key, p => p.Value.Distinct().OrderBy(x => x, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
    }
}
