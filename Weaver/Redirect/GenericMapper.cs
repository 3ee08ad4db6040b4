using System.Collections.Generic;
using Mono.Cecil;

namespace Trapweave.Fody.Redirect;

/// <summary>
/// Rewrites types of a referenced member's open signature (<c>!0</c> of its type, <c>!!0</c> of the
/// method) into a stub's own generic parameters, importing everything else into the woven module.
/// </summary>
sealed class GenericMapper
{
    readonly ModuleDefinition _module;
    readonly IList<GenericParameter> _typeMap;
    readonly IList<GenericParameter> _methodMap;

    public GenericMapper(ModuleDefinition module, IList<GenericParameter> typeMap, IList<GenericParameter> methodMap)
    {
        _module = module;
        _typeMap = typeMap;
        _methodMap = methodMap;
    }

    /// <summary>The type in the stub's context, with custom modifiers dropped (stub signatures need none).</summary>
    public TypeReference Map(TypeReference type)
    {
        switch (type)
        {
            case GenericParameter gp:
                return gp.Type == GenericParameterType.Type ? _typeMap[gp.Position] : _methodMap[gp.Position];
            case RequiredModifierType r: return Map(r.ElementType);
            case OptionalModifierType o: return Map(o.ElementType);
            case ByReferenceType b: return new ByReferenceType(Map(b.ElementType));
            case PointerType p: return new PointerType(Map(p.ElementType));
            case PinnedType p: return new PinnedType(Map(p.ElementType));
            case ArrayType a:
            {
                var array = new ArrayType(Map(a.ElementType), a.Rank);
                if (!a.IsVector)
                {
                    array.Dimensions.Clear();
                    foreach (var dim in a.Dimensions) array.Dimensions.Add(dim);
                }
                return array;
            }
            case GenericInstanceType g:
            {
                var instance = new GenericInstanceType(Import(g.ElementType));
                foreach (var arg in g.GenericArguments) instance.GenericArguments.Add(Map(arg));
                return instance;
            }
            case FunctionPointerType f:
            {
                var fp = new FunctionPointerType { ReturnType = Map(f.ReturnType), CallingConvention = f.CallingConvention, HasThis = f.HasThis, ExplicitThis = f.ExplicitThis };
                foreach (var p in f.Parameters) fp.Parameters.Add(new ParameterDefinition(Map(p.ParameterType)));
                return fp;
            }
            default: return Import(type);
        }
    }

    TypeReference Import(TypeReference type) => type.Module == _module ? type : _module.ImportReference(type);

    /// <summary>A signature string that names generic parameters by position, for stub keys.</summary>
    public static string Key(TypeReference type) => type switch
    {
        GenericParameter gp => (gp.Type == GenericParameterType.Method ? "!!" : "!") + gp.Position,
        RequiredModifierType r => Key(r.ElementType) + " modreq(" + r.ModifierType.FullName + ")",
        OptionalModifierType o => Key(o.ElementType) + " modopt(" + o.ModifierType.FullName + ")",
        ByReferenceType b => Key(b.ElementType) + "&",
        PointerType p => Key(p.ElementType) + "*",
        ArrayType a => Key(a.ElementType) + "[" + a.Rank + "]",
        GenericInstanceType g => Key(g.ElementType) + "<" + string.Join(",", Keys(g.GenericArguments)) + ">",
        FunctionPointerType f => "method " + Key(f.ReturnType) + "*(" + string.Join(",", ParameterKeys(f.Parameters)) + ")",
        _ => "[" + type.Scope?.Name + "]" + type.FullName,
    };

    static IEnumerable<string> Keys(IEnumerable<TypeReference> types)
    {
        foreach (var t in types) yield return Key(t);
    }

    public static IEnumerable<string> ParameterKeys(IEnumerable<ParameterDefinition> parameters)
    {
        foreach (var p in parameters) yield return Key(p.ParameterType);
    }
}
