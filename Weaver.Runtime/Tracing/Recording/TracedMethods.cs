using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Reflection;
using Trapweave.Internal;

namespace Trapweave.Tracing;

/// <summary>
/// Every woven method of the loaded assemblies, by slot, and their arming while a trace that takes them is alive.
/// A module is indexed once (its methods' IL read for their flags, about a microsecond each) and
/// kept; assemblies loaded while a trace is alive are indexed and armed as they load. Redirect
/// stubs are left out: traces record the woven assemblies' own code.
/// </summary>
internal static class TracedMethods
{
    const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    static readonly object Gate = new();
    // Slot to the method definition (open when generic: an instantiation is made per handler type).
    static readonly ConcurrentDictionary<int, MethodBase> s_bySlot = new();
    static readonly Dictionary<Module, (int Slot, MethodBase Method)[]> s_methodsOf = new();
    // The live sessions and the slots each armed (those of the methods its filter takes).
    static readonly Dictionary<TraceSessionRegistration, List<int>> s_armed = new();
    static readonly ConcurrentDictionary<(int Slot, RuntimeTypeHandle Handler), TraceTargetRegistration?> s_registrations = new();

    /// <summary>
    /// Arms the woven methods loaded now that <paramref name="session"/>'s filter takes, and those of
    /// assemblies loaded while it lives. A filter naming a few namespaces arms only their methods:
    /// every other method keeps its unarmed cost.
    /// </summary>
    public static void Arm(TraceSessionRegistration session)
    {
        lock (Gate)
        {
            if (s_armed.Count == 0) AppDomain.CurrentDomain.AssemblyLoad += OnAssemblyLoad;
            var slots = new List<int>();
            s_armed.Add(session, slots);
            try
            {
                foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies()) Arm(assembly, session, slots);
            }
            catch
            {
                Disarm(session);
                throw;
            }
        }
    }

    public static void Disarm(TraceSessionRegistration session)
    {
        lock (Gate)
        {
            if (!s_armed.Remove(session, out var slots)) return;
            foreach (var slot in slots) Slots.Disarm(slot);
            if (s_armed.Count > 0) return;
            AppDomain.CurrentDomain.AssemblyLoad -= OnAssemblyLoad;
            // No thread keeps a handler or binding of a trace that is over.
            foreach (var registration in s_registrations.Values) registration?.Retire();
            s_registrations.Clear();
        }
    }

    static void OnAssemblyLoad(object? sender, AssemblyLoadEventArgs args)
    {
        try
        {
            lock (Gate)
                foreach (var (session, slots) in s_armed) Arm(args.LoadedAssembly, session, slots);
        }
        catch (Exception)
        {
            // Never fail a load: that assembly's calls are simply not traced.
        }
    }

    static void Arm(Assembly assembly, TraceSessionRegistration session, List<int> slots)
    {
        if (assembly.IsDynamic) return;
        foreach (var module in assembly.GetModules())
        {
            if (!s_methodsOf.TryGetValue(module, out var methods)) s_methodsOf[module] = methods = Index(module);
            foreach (var (slot, method) in methods)
            {
                if (!session.Accepts(method)) continue;
                Slots.Arm(slot);
                slots.Add(slot);
            }
        }
    }

    static (int, MethodBase)[] Index(Module module)
    {
        if (module.GetType(WovenNames.TrapTable) is null) return Array.Empty<(int, MethodBase)>();
        Type?[] types;
        try { types = module.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types; }
        var found = new List<(int, MethodBase)>();
        foreach (var type in types)
        {
            if (type is null || type.Name.StartsWith("<Trapweave>", StringComparison.Ordinal) || IsGeneratedBy(type)) continue;
            MethodBase[] methods;
            try
            {
                var declared = new List<MethodBase>(type.GetMethods(Declared));
                declared.AddRange(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly));
                methods = declared.ToArray();
            }
            catch (Exception) { continue; }
            foreach (var method in methods)
            {
                if (IlScanner.FindFlag(method) is not { } flag) continue;
                var slot = Slots.SlotFor(flag);
                s_bySlot[slot] = method;
                found.Add((slot, method));
            }
        }
        return found.ToArray();
    }

    static bool IsGeneratedBy(Type type)
    {
        for (var t = type; t is not null; t = t.DeclaringType)
            if (t.Name.StartsWith("<Trapweave>", StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>
    /// The trace registration for the traced method behind <paramref name="slot"/> in the
    /// instantiation <paramref name="handlerType"/> names; null for a slot that is not a woven
    /// method's (a redirect stub's) or a method whose handler cannot be made (then it runs untraced).
    /// </summary>
    public static TraceTargetRegistration? RegistrationFor(int slot, RuntimeTypeHandle handlerType)
    {
        if (s_registrations.TryGetValue((slot, handlerType), out var known)) return known;
        lock (Gate)
        {
            if (s_armed.Count == 0) return null;
            if (s_registrations.TryGetValue((slot, handlerType), out known)) return known;
            var made = Make(slot, handlerType);
            s_registrations[(slot, handlerType)] = made;
            return made;
        }
    }

    static TraceTargetRegistration? Make(int slot, RuntimeTypeHandle handlerType)
    {
        if (!s_bySlot.TryGetValue(slot, out var definition)) return null;
        try
        {
            var method = Instantiate(definition, Type.GetTypeFromHandle(handlerType)!);
            if (method is null || TrapTarget.Woven(method) is not { } target || target.Slot != slot || !target.HandlerHandle.Equals(handlerType)) return null;
            var registration = new TraceTargetRegistration(target);
            registration.ActivateUnlisted();
            return registration;
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// The instantiation of <paramref name="definition"/> whose handler type is <paramref name="handlerType"/>:
    /// a generic shape's arguments are the declaring type's, then the method's (docs/ARCHITECTURE.md).
    /// </summary>
    static MethodBase? Instantiate(MethodBase definition, Type handlerType)
    {
        var declaring = definition.DeclaringType!;
        var typeArity = declaring.IsGenericTypeDefinition ? declaring.GetGenericArguments().Length : 0;
        var methodArity = definition.IsGenericMethodDefinition ? definition.GetGenericArguments().Length : 0;
        if (typeArity + methodArity == 0) return definition;
        var arguments = handlerType.IsGenericType ? handlerType.GetGenericArguments() : Type.EmptyTypes;
        if (arguments.Length != typeArity + methodArity) return null;
        var method = definition;
        if (typeArity > 0)
        {
            var closed = declaring.MakeGenericType(arguments[..typeArity]);
            method = MethodBase.GetMethodFromHandle(definition.MethodHandle, closed.TypeHandle)!;
        }
        if (methodArity > 0) method = ((MethodInfo)method).MakeGenericMethod(arguments[typeArity..]);
        return method;
    }
}
