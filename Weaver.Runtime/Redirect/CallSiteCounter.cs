using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Reflection;

namespace Trapweave.Internal;

/// <summary>
/// Counts, for explanations, the call sites of a woven assembly that call each inline redirect
/// stub (reading every method body once per assembly; never on a call path).
/// </summary>
internal static class CallSiteCounter
{
    const string InlineType = "<Trapweave>Redirects";
    static readonly ConcurrentDictionary<Assembly, Dictionary<string, int>> ByAssembly = new();

    /// <summary>Call sites of <paramref name="stub"/>'s member (inline stub of the same name) in its assembly.</summary>
    public static int Count(RedirectStub stub) =>
        ByAssembly.GetOrAdd(stub.Assembly, CountAll).TryGetValue(stub.Armed.Name, out var n) ? n : 0;

    static Dictionary<string, int> CountAll(Assembly assembly)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        Type[] types;
        try { types = assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = Array.FindAll(e.Types, t => t is not null)!; }
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in types)
        {
            if (type.FullName is { } full && full.StartsWith(InlineType, StringComparison.Ordinal)) continue;
            foreach (var method in type.GetMethods(all)) Add(method, counts);
            foreach (var ctor in type.GetConstructors(all)) Add(ctor, counts);
        }
        return counts;
    }

    static void Add(MethodBase method, Dictionary<string, int> counts)
    {
        foreach (var called in IlScanner.CalledMethods(method))
        {
            if (called.DeclaringType?.FullName != InlineType) continue;
            counts[called.Name] = counts.TryGetValue(called.Name, out var n) ? n + 1 : 1;
        }
    }
}
