using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Trapweave.Fody.Core;

/// <summary>
/// Generates, per method signature, the delegate type an armed prologue hands the call to:
/// <c>TResult H([ref] Self self, params..., out bool handled)</c>. Byref, ref-struct and pointer
/// parameters and ref returns pass through unchanged, so a same-signature patch never boxes.
/// For methods with generic context the delegate is generic over the type's and the method's
/// parameters, which makes every instantiation its own handler type (patches are per instantiation).
/// </summary>
public sealed class HandlerTypeFactory
{
    readonly ModuleDefinition _module;
    readonly RuntimeReferences _runtime;
    readonly TrapTableBuilder _table;
    readonly Dictionary<string, TypeDefinition> _shared = new(StringComparer.Ordinal);
    int _count;

    public HandlerTypeFactory(ModuleDefinition module, RuntimeReferences runtime, TrapTableBuilder table)
    {
        _module = module;
        _runtime = runtime;
        _table = table;
    }

    /// <summary>The handler type and its Invoke as seen from inside <paramref name="method"/>.</summary>
    public (TypeReference Type, MethodReference Invoke) For(MethodDefinition method)
    {
        var typeParams = method.DeclaringType.GenericParameters;
        var methodParams = method.GenericParameters;
        TypeDefinition definition;
        TypeReference inContext;
        if (typeParams.Count + methodParams.Count == 0)
        {
            var signature = Signature(method, t => t);
            var key = string.Join("|", signature.Select(s => s.FullName));
            if (!_shared.TryGetValue(key, out definition!))
            {
                definition = Define(signature, Array.Empty<GenericParameter>(), (_, t) => t);
                _shared.Add(key, definition);
            }
            inContext = definition;
        }
        else
        {
            var sources = typeParams.Concat(methodParams).ToArray();
            var signature = Signature(method, t => t);
            CheckUnreachableConstraints(method, sources, signature);
            definition = Define(signature, sources, (d, t) => Map(t, d, typeParams.Count));
            var instance = new GenericInstanceType(definition);
            foreach (var gp in sources) instance.GenericArguments.Add(gp);
            inContext = instance;
        }

        var invokeDef = definition.Methods.First(m => m.Name == "Invoke");
        var invoke = new MethodReference("Invoke", invokeDef.ReturnType, inContext) { HasThis = true };
        foreach (var p in invokeDef.Parameters) invoke.Parameters.Add(new ParameterDefinition(p.ParameterType));
        return (inContext, invoke);
    }

    /// <summary>
    /// The handler leaves off constraints naming types it cannot reach (private nested ones). That is
    /// sound while no generic type in the signature needs the constraint of such a parameter to be
    /// instantiated over it; where one might, the method is left untrapped, saying why.
    /// </summary>
    void CheckUnreachableConstraints(MethodDefinition method, GenericParameter[] sources, TypeReference[] signature)
    {
        var dropped = sources.Where(p => p.Constraints.Any(c => !ConstraintAccess.IsReachable(c.ConstraintType, _module))).ToList();
        if (dropped.Count == 0) return;
        foreach (var type in signature)
        {
            if (UsesAsGenericArgument(type, dropped))
                throw new WeavingError($"Trapweave: cannot trap {method.FullName}: a constraint of {string.Join(", ", dropped.Select(p => p.Name))} names a type only its class can see, and its signature instantiates a generic type over it.", method);
        }
    }

    static bool UsesAsGenericArgument(TypeReference type, List<GenericParameter> parameters) => type switch
    {
        GenericInstanceType g => g.GenericArguments.Any(a => a is GenericParameter p && parameters.Contains(p) || UsesAsGenericArgument(a, parameters)),
        TypeSpecification s => UsesAsGenericArgument(s.ElementType, parameters),
        _ => false,
    };

    /// <summary>[self], parameters, return type of the method, modifiers stripped.</summary>
    static TypeReference[] Signature(MethodDefinition method, Func<TypeReference, TypeReference> map)
    {
        var list = new List<TypeReference>();
        if (method.HasThis)
        {
            TypeReference self = method.DeclaringType;
            if (method.DeclaringType.HasGenericParameters)
            {
                var instance = new GenericInstanceType(method.DeclaringType);
                foreach (var gp in method.DeclaringType.GenericParameters) instance.GenericArguments.Add(gp);
                self = instance;
            }
            list.Add(method.DeclaringType.IsValueType ? new ByReferenceType(self) : self);
        }
        foreach (var p in method.Parameters) list.Add(Strip(p.ParameterType));
        list.Add(method.IsConstructor ? method.Module.TypeSystem.Void : Strip(method.ReturnType));
        return list.Select(map).ToArray();
    }

    TypeDefinition Define(TypeReference[] signature, GenericParameter[] sources, Func<TypeDefinition, TypeReference, TypeReference> map)
    {
        var type = new TypeDefinition("", "H" + _count++,
            TypeAttributes.NestedAssembly | TypeAttributes.Sealed | TypeAttributes.Class, _runtime.MulticastDelegate);
        _table.AddNested(type);

        for (var i = 0; i < sources.Length; i++)
            type.GenericParameters.Add(new GenericParameter("T" + i, type));
        for (var i = 0; i < sources.Length; i++)
        {
            var target = type.GenericParameters[i];
            target.Attributes = sources[i].Attributes & ~GenericParameterAttributes.VarianceMask;
            // A constraint the handler cannot name is left off: it only passes the values on (see CheckUnreachableConstraints).
            foreach (var c in sources[i].Constraints.Where(c => ConstraintAccess.IsReachable(c.ConstraintType, _module)))
                target.Constraints.Add(new GenericParameterConstraint(map(type, c.ConstraintType)));
        }

        var ctor = new MethodDefinition(".ctor",
            MethodAttributes.Public | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName,
            _module.TypeSystem.Void) { ImplAttributes = MethodImplAttributes.Runtime | MethodImplAttributes.Managed };
        ctor.Parameters.Add(new ParameterDefinition("object", ParameterAttributes.None, _module.TypeSystem.Object));
        ctor.Parameters.Add(new ParameterDefinition("method", ParameterAttributes.None, _module.TypeSystem.IntPtr));
        type.Methods.Add(ctor);

        var invoke = new MethodDefinition("Invoke",
            MethodAttributes.Public | MethodAttributes.HideBySig | MethodAttributes.NewSlot | MethodAttributes.Virtual,
            map(type, signature[signature.Length - 1])) { ImplAttributes = MethodImplAttributes.Runtime | MethodImplAttributes.Managed, HasThis = true };
        for (var i = 0; i < signature.Length - 1; i++)
            invoke.Parameters.Add(new ParameterDefinition("a" + i, ParameterAttributes.None, map(type, signature[i])));
        invoke.Parameters.Add(new ParameterDefinition("handled", ParameterAttributes.Out, new ByReferenceType(_module.TypeSystem.Boolean)));
        type.Methods.Add(invoke);
        return type;
    }

    static TypeReference Strip(TypeReference type) => type switch
    {
        RequiredModifierType r => Strip(r.ElementType),
        OptionalModifierType o => Strip(o.ElementType),
        ByReferenceType b => new ByReferenceType(Strip(b.ElementType)),
        _ => type,
    };

    /// <summary>Rewrites a type from the method's generic context into the delegate's (type params first, then method params).</summary>
    static TypeReference Map(TypeReference type, TypeDefinition d, int typeParamCount)
    {
        switch (type)
        {
            case GenericParameter gp:
                return gp.Type == GenericParameterType.Type
                    ? d.GenericParameters[gp.Position]
                    : d.GenericParameters[typeParamCount + gp.Position];
            case ByReferenceType b: return new ByReferenceType(Map(b.ElementType, d, typeParamCount));
            case PointerType p: return new PointerType(Map(p.ElementType, d, typeParamCount));
            case PinnedType p: return new PinnedType(Map(p.ElementType, d, typeParamCount));
            case ArrayType a:
            {
                var array = new ArrayType(Map(a.ElementType, d, typeParamCount), a.Rank);
                if (!a.IsVector)
                {
                    array.Dimensions.Clear();
                    foreach (var dim in a.Dimensions) array.Dimensions.Add(dim);
                }
                return array;
            }
            case RequiredModifierType r: return new RequiredModifierType(r.ModifierType, Map(r.ElementType, d, typeParamCount));
            case OptionalModifierType o: return new OptionalModifierType(o.ModifierType, Map(o.ElementType, d, typeParamCount));
            case GenericInstanceType g:
            {
                var instance = new GenericInstanceType(g.ElementType);
                foreach (var arg in g.GenericArguments) instance.GenericArguments.Add(Map(arg, d, typeParamCount));
                return instance;
            }
            case FunctionPointerType f:
            {
                var fp = new FunctionPointerType { ReturnType = Map(f.ReturnType, d, typeParamCount), CallingConvention = f.CallingConvention, HasThis = f.HasThis, ExplicitThis = f.ExplicitThis };
                foreach (var p in f.Parameters) fp.Parameters.Add(new ParameterDefinition(Map(p.ParameterType, d, typeParamCount)));
                return fp;
            }
            default: return type;
        }
    }
}
