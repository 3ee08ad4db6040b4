using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace Trapweave.Internal;

/// <summary>
/// The redirect stubs of every loaded woven assembly, by member. Started by
/// the first registration on (or explanation of) a member that is not woven: it reads the
/// assemblies loaded by then and every one loaded afterwards, attaching each stub's flag to its
/// member's slot, so a registration reaches assemblies loaded after it was made.
/// </summary>
/// <remarks>
/// <see cref="Gate"/> is held for the whole of each read of an assembly (and of the first reading,
/// and of a walk of references), not only while the tables change: tests running in parallel make
/// their first registrations at the same moment, and one of them must never look up a member
/// while another has marked an assembly as read but not yet listed its stubs.
/// </remarks>
internal static class RedirectIndex
{
    const string ArmedType = "<Trapweave>Redirects+Armed";
    static readonly object Gate = new();
    static readonly Dictionary<(Module, int), List<RedirectStub>> ByMember = new();
    static readonly HashSet<Assembly> Seen = new();
    static readonly HashSet<string> ReferencesWalked = new(StringComparer.Ordinal);
    static bool s_started;

    /// <summary>The stubs calling <paramref name="definition"/> (a member definition), in the assemblies loaded so far.</summary>
    public static IReadOnlyList<RedirectStub> For(MethodBase definition)
    {
        Start();
        lock (Gate)
            return ByMember.TryGetValue((definition.Module, definition.MetadataToken), out var stubs) ? stubs.ToArray() : Array.Empty<RedirectStub>();
    }

    /// <summary>Adds a native patch's twin as one more stub of its member (its flag joins the member's slot).</summary>
    public static void AddTwin(RedirectStub twin)
    {
        Start();
        lock (Gate)
        {
            var key = (twin.Member.Module, twin.Member.MetadataToken);
            if (!ByMember.TryGetValue(key, out var list)) ByMember.Add(key, list = new List<RedirectStub>());
            list.Add(twin);
            Slots.Attach(twin.Slot, twin.Flag);
        }
    }

    /// <summary>Every stub indexed so far (for explanations).</summary>
    public static IReadOnlyList<RedirectStub> All()
    {
        Start();
        lock (Gate) return ByMember.Values.SelectMany(s => s).ToArray();
    }

    /// <summary>
    /// Loads the not yet loaded, non-framework assemblies that loaded ones reference (transitively), so
    /// woven code the process has not touched yet counts: a test may arrange before the code under
    /// test is loaded. Loading runs no code of theirs.
    /// </summary>
    public static void LoadReferencedAssemblies()
    {
        Start();
        lock (Gate)
        {
            var pending = new Queue<Assembly>(AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && !IsFramework(a.GetName())));
            while (pending.Count > 0)
            {
                var assembly = pending.Dequeue();
                if (!ReferencesWalked.Add(assembly.FullName ?? "")) continue;
                foreach (var reference in assembly.GetReferencedAssemblies())
                {
                    if (IsFramework(reference)) continue;
                    Assembly loaded;
                    try { loaded = Assembly.Load(reference); }
                    catch (Exception) { continue; }
                    Index(loaded);
                    pending.Enqueue(loaded);
                }
            }
        }
    }

    static bool IsFramework(AssemblyName name)
    {
        var simple = name.Name ?? "";
        return simple is "netstandard" or "mscorlib" or "Trapweave" ||
               simple.StartsWith("System.", StringComparison.Ordinal) || simple == "System" ||
               simple.StartsWith("Microsoft.", StringComparison.Ordinal) || simple.StartsWith("xunit", StringComparison.Ordinal);
    }

    static void Start()
    {
        if (System.Threading.Volatile.Read(ref s_started)) return;
        lock (Gate)
        {
            if (s_started) return;
            // Subscribe first: an assembly loading meanwhile is indexed by one of the two (Seen dedupes).
            AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Index(e.LoadedAssembly);
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies()) Index(assembly);
            // Only now: a caller that finds it set must find what was loaded before it indexed.
            System.Threading.Volatile.Write(ref s_started, true);
        }
    }

    static void Index(Assembly assembly)
    {
        if (assembly.IsDynamic) return;
        // Held throughout (see the remarks); reading an assembly may load others, indexed re-entrantly.
        lock (Gate)
        {
            try
            {
                if (!Seen.Add(assembly)) return;
                var armed = assembly.ManifestModule.GetType(ArmedType, throwOnError: false, ignoreCase: false);
                if (armed is null) return;
                var found = new List<RedirectStub>();
                foreach (var method in armed.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (!IlScanner.TryReadRedirect(method, out var flag, out var handler, out var member, out var constrained)) continue;
                    var kind = member is ConstructorInfo ? RedirectKind.Create
                        : member!.IsStatic ? RedirectKind.Static
                        : constrained ? RedirectKind.Constrained
                        : RedirectKind.Instance;
                    var slot = Slots.SlotForMember(member!);
                    var definition = handler!.IsGenericType ? handler.GetGenericTypeDefinition() : handler;
                    found.Add(new RedirectStub(method, flag!, definition, member!, kind, slot));
                }
                foreach (var stub in found)
                {
                    var key = (stub.Member.Module, stub.Member.MetadataToken);
                    if (!ByMember.TryGetValue(key, out var list)) ByMember.Add(key, list = new List<RedirectStub>());
                    list.Add(stub);
                }
                // Slots has its own lock (taken after this one, never before it) and sets the flag if the member is armed.
                foreach (var stub in found) Slots.Attach(stub.Slot, stub.Flag);
            }
            catch (Exception)
            {
                // An assembly that cannot be read is not redirected; loading it must not fail because of us.
            }
        }
    }
}
