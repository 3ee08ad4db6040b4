using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Trapweave.Tests.Corpus.Support;

/// <summary>
/// The workloads of one loaded copy, called by reflection (their entry points take and return only
/// CoreLib types, shared by every load context): <c>Trapweave.Corpus.Workload.Names</c> and <c>Run(name)</c>.
/// </summary>
public sealed class Workloads
{
    readonly Type _entry;

    public Workloads(Assembly workloads) => _entry = workloads.GetType("Trapweave.Corpus.Workload", throwOnError: true)!;

    public IReadOnlyList<string> Names => (IReadOnlyList<string>)_entry.GetProperty("Names")!.GetValue(null)!;

    /// <summary>The libraries (assembly names) workload <paramref name="name"/> drives.</summary>
    public IReadOnlyList<string> Libraries(string name) => (IReadOnlyList<string>)Invoke("Libraries", name);

    /// <summary>Runs workload <paramref name="name"/>: its results by name, each a deterministic rendering.</summary>
    public SortedDictionary<string, string> Run(string name) => (SortedDictionary<string, string>)Invoke("Run", name);

    object Invoke(string method, string name)
    {
        try { return _entry.GetMethod(method)!.Invoke(null, new object[] { name })!; }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
