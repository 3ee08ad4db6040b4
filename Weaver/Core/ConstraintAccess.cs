using System.Linq;
using Mono.Cecil;

namespace Trapweave.Fody.Core;

/// <summary>
/// Whether a generated type nested in the module's top-level trap table may name a type, as its
/// generic parameters' constraints do: the runtime checks a constraint's accessibility when it loads
/// the type (TypeLoadException "Access is denied"), unlike the types of a signature. A private or
/// protected nested type of the woven code (Acornima's <c>RegExpParser.IMode</c>, constraining
/// <c>ParsePattern&lt;TMode&gt;</c>) is out of its reach; public and internal types are not.
/// </summary>
static class ConstraintAccess
{
    public static bool IsReachable(TypeReference type, ModuleDefinition from) => type switch
    {
        GenericParameter => true,
        GenericInstanceType g => IsReachable(g.ElementType, from) && g.GenericArguments.All(a => IsReachable(a, from)),
        TypeSpecification s => IsReachable(s.ElementType, from),
        _ => IsReachableDefinition(type, from),
    };

    static bool IsReachableDefinition(TypeReference type, ModuleDefinition from)
    {
        var definition = type.Resolve();
        // What cannot be resolved is a type of another assembly a constraint names: public, as C# requires.
        if (definition is null) return true;
        var sameAssembly = definition.Module.Assembly == from.Assembly;
        for (var t = definition; t is not null; t = t.DeclaringType)
        {
            var visible = t.IsNested
                ? t.IsNestedPublic || sameAssembly && (t.IsNestedAssembly || t.IsNestedFamilyOrAssembly)
                : t.IsPublic || sameAssembly;
            if (!visible) return false;
        }
        return true;
    }
}
