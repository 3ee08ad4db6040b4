using System.Collections.Generic;
namespace Trapweave.Corpus;
public static class Workload
{
    public static IReadOnlyList<string> Names => new string[0];
}
