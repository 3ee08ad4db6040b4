using System.Reflection;

namespace Trapweave.Tests.Corpus.Support;

/// <summary>The woven methods of an assembly that a registration can name as they are (generic definitions need an instantiation each).</summary>
public static class WovenMethods
{
    const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static (List<MethodBase> Methods, int GenericLeftOut) Of(Assembly assembly)
    {
        Type[] types;
        try { types = assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types.Where(t => t is not null).ToArray()!; }
        var methods = new List<MethodBase>();
        var generic = 0;
        foreach (var type in types)
        {
            foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
            {
                if (method.GetMethodBody() is null || !Trap.IsTrapped(method)) continue;
                if (method.ContainsGenericParameters) generic++;
                else methods.Add(method);
            }
        }
        return (methods, generic);
    }
}
