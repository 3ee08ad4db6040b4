using System.IO;

namespace Trapweave.Tests.Stress;

/// <summary>Real files for the <c>File.ReadAllText</c> scenario: one per flow to arrange, one nobody arranges.</summary>
internal sealed class SoakFiles : IDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "trapweave-soak-" + Guid.NewGuid().ToString("N"));

    public SoakFiles(int flows)
    {
        Directory.CreateDirectory(_folder);
        Unarranged = Path.Combine(_folder, "unarranged.txt");
        File.WriteAllText(Unarranged, ContentOf(-1));
        for (var id = 0; id < flows; id++) File.WriteAllText(For(id), ContentOf(id));
    }

    public string Unarranged { get; }

    public string For(int flow) => Path.Combine(_folder, $"flow-{flow}.txt");

    public static string ContentOf(int flow) => flow < 0 ? "nobody's" : $"flow {flow}'s";

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
