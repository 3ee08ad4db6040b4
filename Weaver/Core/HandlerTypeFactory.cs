using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Trapweave.Fody.Core;

/// <summary>
/// Generates the handler shapes of a module: per shape a delegate type <c>H</c> an armed prologue
/// hands the call to, <c>TResult H([ref] Self self, params..., ref bool handled)</c>, and a static
/// dispatcher of the same name in the trap table that finds this flow's handler and calls it (see
/// <see cref="PrologueWriter"/>). A shape is what the runtime needs to pass the call on exactly:
/// every reference type (the receiver of a class, string, arrays, classes, interfaces) is
/// <c>object</c>, which the runtime hands on to a replacement typed as the method's (the weaver
/// guarantees the type), and an enum is its underlying type; other value types, byrefs, ref structs, pointers and generic parameters stay
/// as they are, so a same-signature patch never boxes. Methods with generic context get a shape
/// generic over all of their type's and their own parameters, so every instantiation has its own
/// handler type (patches are per instantiation); methods whose shapes are equal share it.
/// </summary>
public sealed class HandlerTypeFactory
{
    /// <summary>The <c>allows ref struct</c> anti-constraint (.NET 9), which older Cecil has no name for.</summary>
    const GenericParameterAttributes AllowByRefLike = (GenericParameterAttributes)0x0020;

    readonly ModuleDefinition _module;
    readonly RuntimeReferences _runtime;
    readonly TrapTableBuilder _table;
    readonly Dictionary<string, Shape> _shapes = new(StringComparer.Ordinal);

    public HandlerTypeFactory(ModuleDefinition module, RuntimeReferences runtime, TrapTableBuilder table)
    {
        _module = module;
        _runtime = runtime;
        _table = table;
    }

    /// <summary>Handler shapes made so far (each one delegate type and one dispatcher).</summary>
    public int ShapeCount => _shapes.Count;

    /// <summary>One shape: its delegate type and its dispatcher.</summary>
    sealed class Shape
    {
        public Shape(TypeDefinition type, MethodDefinition dispatcher)
        {
            Type = type;
            Dispatcher = dispatcher;
        }

        public readonly TypeDefinition Type;
        public readonly MethodDefinition Dispatcher;
    }

    /// <summary>
    /// The dispatcher <paramref name="method"/>'s armed block calls, as seen from inside it:
    /// <c>bool D([self], params..., int slot)</c> for a method returning nothing (the result is
    /// "handled"), else <c>TResult D([self], params..., ref bool handled, int slot)</c>. A generic
    /// shape's dispatcher takes the handler type (<see cref="Dispatch.Handler"/>, instantiated as
    /// seen from the method) before the slot: see <see cref="DefineDispatcher"/>.
    /// </summary>
    public Dispatch For(MethodDefinition method)
    {
        var typeParams = method.DeclaringType.GenericParameters;
        var sources = typeParams.Concat(method.GenericParameters).ToArray();
        var signature = Signature(method).Select(Canonical).ToArray();
        var needed = NeededParameters(sources, signature);
        CheckUnreachableConstraints(method, sources, signature);

        var key = Key(sources, needed, signature, typeParams.Count);
        if (!_shapes.TryGetValue(key, out var shape))
        {
            shape = Define(sources, needed, signature, typeParams.Count);
            _shapes.Add(key, shape);
        }
        if (sources.Length == 0) return new Dispatch(shape.Dispatcher, null);
        var instance = new GenericInstanceMethod(shape.Dispatcher);
        foreach (var gp in sources) instance.GenericArguments.Add(gp);
        var handler = new GenericInstanceType(shape.Type);
        foreach (var gp in sources) handler.GenericArguments.Add(gp);
        return new Dispatch(instance, handler);
    }

    /// <summary>What an armed block calls: the dispatcher, and for a generic shape the handler type it passes (ldtoken).</summary>
    public sealed class Dispatch
    {
        public Dispatch(MethodReference dispatcher, TypeReference? handler)
        {
            Dispatcher = dispatcher;
            Handler = handler;
        }

        public MethodReference Dispatcher { get; }
        public TypeReference? Handler { get; }
    }

    /// <summary>
    /// The handler leaves off constraints naming types it cannot reach (private nested ones). That is
    /// sound while no generic type in the shape needs the constraint of such a parameter to be
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
        FunctionPointerType f => UsesAsGenericArgument(f.ReturnType, parameters) || f.Parameters.Any(p => UsesAsGenericArgument(p.ParameterType, parameters)),
        TypeSpecification s => UsesAsGenericArgument(s.ElementType, parameters),
        _ => false,
    };

    /// <summary>
    /// The generic parameters whose constraints the shape must keep: those a generic type of the
    /// shape is instantiated over (its own constraints may require them), and those their kept
    /// constraints name. Others only pass values on and take any argument.
    /// </summary>
    static bool[] NeededParameters(GenericParameter[] sources, TypeReference[] signature)
    {
        var needed = new bool[sources.Length];
        var work = new Stack<int>();
        void Mark(TypeReference type, bool asArgument)
        {
            switch (type)
            {
                case GenericParameter gp:
                    var index = Array.IndexOf(sources, gp);
                    if (asArgument && index >= 0 && !needed[index])
                    {
                        needed[index] = true;
                        work.Push(index);
                    }
                    break;
                case GenericInstanceType g:
                    foreach (var a in g.GenericArguments) Mark(a, true);
                    break;
                case FunctionPointerType f:
                    Mark(f.ReturnType, asArgument);
                    foreach (var p in f.Parameters) Mark(p.ParameterType, asArgument);
                    break;
                case TypeSpecification s:
                    Mark(s.ElementType, asArgument);
                    break;
            }
        }
        foreach (var type in signature) Mark(type, false);
        while (work.Count > 0)
            foreach (var c in sources[work.Pop()].Constraints) Mark(c.ConstraintType, true);
        return needed;
    }

    /// <summary>[self], parameters, return type of the method, modifiers stripped.</summary>
    static List<TypeReference> Signature(MethodDefinition method)
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
        return list;
    }

    /// <summary>A reference type as <c>object</c>, an enum as its underlying type (the same value to the runtime); everything else as it is.</summary>
    TypeReference Canonical(TypeReference type) => type switch
    {
        GenericParameter => type,
        ArrayType => _module.TypeSystem.Object,
        TypeSpecification and not GenericInstanceType => type,
        { MetadataType: MetadataType.Void } => type,
        GenericInstanceType when type.IsValueType => type,
        _ when type.IsValueType => UnderlyingIfEnum(type),
        _ => _module.TypeSystem.Object,
    };

    TypeReference UnderlyingIfEnum(TypeReference type)
    {
        if (type.MetadataType != MetadataType.ValueType) return type;
        TypeDefinition? definition;
        try { definition = type.Resolve(); }
        catch (AssemblyResolutionException) { return type; }
        if (definition is not { IsEnum: true }) return type;
        var underlying = definition.Fields.FirstOrDefault(f => !f.IsStatic)?.FieldType;
        return underlying?.MetadataType switch
        {
            MetadataType.Boolean => _module.TypeSystem.Boolean, MetadataType.Char => _module.TypeSystem.Char,
            MetadataType.SByte => _module.TypeSystem.SByte, MetadataType.Byte => _module.TypeSystem.Byte,
            MetadataType.Int16 => _module.TypeSystem.Int16, MetadataType.UInt16 => _module.TypeSystem.UInt16,
            MetadataType.Int32 => _module.TypeSystem.Int32, MetadataType.UInt32 => _module.TypeSystem.UInt32,
            MetadataType.Int64 => _module.TypeSystem.Int64, MetadataType.UInt64 => _module.TypeSystem.UInt64,
            _ => type,
        };
    }

    /// <summary>What makes two shapes one: generic arity, kept constraints, the signature (positions, not names).</summary>
    string Key(GenericParameter[] sources, bool[] needed, TypeReference[] signature, int typeParamCount)
    {
        var proto = new TypeDefinition("", "proto", TypeAttributes.Class);
        for (var i = 0; i < sources.Length; i++) proto.GenericParameters.Add(new GenericParameter("!" + i, proto));
        var parts = new List<string> { sources.Length.ToString() };
        for (var i = 0; i < sources.Length; i++)
        {
            var (attributes, constraints) = ConstraintsOf(sources[i], needed[i]);
            parts.Add((int)attributes + ":" + string.Join(",", constraints.Select(c => KeyOf(Map(c, proto, typeParamCount)))));
        }
        parts.AddRange(signature.Select(t => KeyOf(Map(t, proto, typeParamCount))));
        return string.Join("|", parts);
    }

    /// <summary>A type's full name with the scope of every type it names: equal names from two assemblies (a polyfill of a core type) are two types.</summary>
    static string KeyOf(TypeReference type) => type switch
    {
        GenericParameter gp => gp.Name,
        GenericInstanceType g => KeyOf(g.ElementType) + "<" + string.Join(",", g.GenericArguments.Select(KeyOf)) + ">",
        ArrayType a => KeyOf(a.ElementType) + "[" + a.Rank + "]",
        ByReferenceType b => KeyOf(b.ElementType) + "&",
        PointerType p => KeyOf(p.ElementType) + "*",
        PinnedType p => KeyOf(p.ElementType) + " pinned",
        RequiredModifierType r => KeyOf(r.ElementType) + " modreq(" + KeyOf(r.ModifierType) + ")",
        OptionalModifierType o => KeyOf(o.ElementType) + " modopt(" + KeyOf(o.ModifierType) + ")",
        FunctionPointerType f => "method " + KeyOf(f.ReturnType) + " *(" + string.Join(",", f.Parameters.Select(p => KeyOf(p.ParameterType))) + ")" + (int)f.CallingConvention,
        TypeSpecification s => s.FullName,
        _ => "[" + type.Scope?.Name + "]" + type.FullName,
    };

    (GenericParameterAttributes Attributes, IEnumerable<TypeReference> Constraints) ConstraintsOf(GenericParameter source, bool needed)
    {
        if (!needed) return (source.Attributes & AllowByRefLike, Array.Empty<TypeReference>());
        // A constraint the handler cannot name is left off: it only passes the values on (see CheckUnreachableConstraints).
        return (source.Attributes & ~GenericParameterAttributes.VarianceMask,
            source.Constraints.Select(c => c.ConstraintType).Where(c => ConstraintAccess.IsReachable(c, _module)));
    }

    Shape Define(GenericParameter[] sources, bool[] needed, TypeReference[] canonical, int typeParamCount)
    {
        var name = "H" + _shapes.Count;
        var type = new TypeDefinition("", name,
            TypeAttributes.NestedAssembly | TypeAttributes.Sealed | TypeAttributes.Class, _runtime.MulticastDelegate);
        _table.AddNested(type);
        for (var i = 0; i < sources.Length; i++) type.GenericParameters.Add(new GenericParameter("T" + i, type));
        CopyConstraints(sources, needed, type.GenericParameters, t => Map(t, type, typeParamCount));
        var signature = canonical.Select(t => Map(t, type, typeParamCount)).ToArray();
        var returnType = signature[signature.Length - 1];
        var handled = new ByReferenceType(_module.TypeSystem.Boolean);

        // No parameter names or attributes: they would be Param rows, and nothing reads them.
        var ctor = new MethodDefinition(".ctor",
            MethodAttributes.Public | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName,
            _module.TypeSystem.Void) { ImplAttributes = MethodImplAttributes.Runtime | MethodImplAttributes.Managed };
        ctor.Parameters.Add(new ParameterDefinition(_module.TypeSystem.Object));
        ctor.Parameters.Add(new ParameterDefinition(_module.TypeSystem.IntPtr));
        type.Methods.Add(ctor);
        var invoke = new MethodDefinition("Invoke",
            MethodAttributes.Public | MethodAttributes.HideBySig | MethodAttributes.NewSlot | MethodAttributes.Virtual,
            returnType) { ImplAttributes = MethodImplAttributes.Runtime | MethodImplAttributes.Managed, HasThis = true };
        for (var i = 0; i < signature.Length - 1; i++) invoke.Parameters.Add(new ParameterDefinition(signature[i]));
        invoke.Parameters.Add(new ParameterDefinition(handled));
        type.Methods.Add(invoke);

        return new Shape(type, DefineDispatcher(name, sources, needed, canonical, typeParamCount, type));
    }

    /// <summary>
    /// The dispatcher, shared by every method of the shape and inlined into each (so the armed path
    /// runs the same code as if written there); a frame of it (unoptimized code) is hidden from stack
    /// traces, as every aggressively inlined method is:
    /// <code>
    ///     ldarg slot; ldtoken H (generic: ldarg handler); call TrapDispatch.Lookup; dup; brtrue CALL
    ///     pop; [*handled = false]; ldc.i4.0 | default(TResult); ret
    /// CALL: castclass H (generic: none); ldarg [self,] params...; ldloca h | ldarg handled; callvirt H::Invoke; [ldloc h]; ret
    /// </code>
    /// </summary>
    MethodDefinition DefineDispatcher(string name, GenericParameter[] sources, bool[] needed, TypeReference[] canonical, int typeParamCount, TypeDefinition handler)
    {
        var method = new MethodDefinition(name, MethodAttributes.Assembly | MethodAttributes.Static | MethodAttributes.HideBySig, _module.TypeSystem.Void)
        {
            ImplAttributes = MethodImplAttributes.IL | MethodImplAttributes.Managed | MethodImplAttributes.AggressiveInlining,
        };
        for (var i = 0; i < sources.Length; i++) method.GenericParameters.Add(new GenericParameter("T" + i, method));
        TypeReference MapHere(TypeReference t) => MapToMethod(t, method, typeParamCount);
        CopyConstraints(sources, needed, method.GenericParameters, MapHere);
        var signature = canonical.Select(MapHere).ToArray();
        var returnType = signature[signature.Length - 1];
        var isVoid = returnType.MetadataType == MetadataType.Void;

        // The slot comes last: the caller loads the flag right before the call, which is what
        // coverlet needs to see before the branch that follows it (void methods; see PrologueWriter).
        for (var i = 0; i < signature.Length - 1; i++) method.Parameters.Add(new ParameterDefinition(signature[i]));
        ParameterDefinition? handledArg = null;
        if (isVoid) method.ReturnType = _module.TypeSystem.Boolean;
        else
        {
            method.ReturnType = returnType;
            handledArg = new ParameterDefinition(new ByReferenceType(_module.TypeSystem.Boolean));
            method.Parameters.Add(handledArg);
        }
        // A generic shape's handler type is a runtime lookup in shared code: the caller makes it, in
        // its own generic context (one lookup, as when the armed block was written out), and the
        // dispatcher does not cast to it (which would be a second lookup, through its own context).
        var handlerToken = sources.Length == 0 ? null : new ParameterDefinition(_runtime.RuntimeTypeHandle);
        if (handlerToken is not null) method.Parameters.Add(handlerToken);
        var slot = new ParameterDefinition(_module.TypeSystem.Int32);
        method.Parameters.Add(slot);
        _table.Type.Methods.Add(method);

        TypeReference handlerHere = handler;
        MethodReference invoke = handler.Methods.First(m => m.Name == "Invoke");
        if (sources.Length > 0)
        {
            var instance = new GenericInstanceType(handler);
            foreach (var gp in method.GenericParameters) instance.GenericArguments.Add(gp);
            handlerHere = instance;
            var reference = new MethodReference("Invoke", handler.Methods.First(m => m.Name == "Invoke").ReturnType, instance) { HasThis = true };
            foreach (var p in invoke.Parameters) reference.Parameters.Add(new ParameterDefinition(p.ParameterType));
            invoke = reference;
        }

        // With a result, the handler writes "handled" straight into the caller's local (a local of the
        // dispatcher copied there would, inlined, take a register the caller's prologue saves on every
        // call, armed or not); without one, the dispatcher returns it, and the JIT turns the test on
        // the path without a handler into a jump straight to the body.
        var body = method.Body;
        var il = body.Instructions;
        VariableDefinition? handledLocal = null;
        if (isVoid)
        {
            handledLocal = new VariableDefinition(_module.TypeSystem.Boolean);
            body.Variables.Add(handledLocal);
        }
        // CALL: the handler's call, on the delegate Lookup returned. A generic shape takes it as it
        // comes: Lookup returns a delegate of exactly the type asked for (the runtime makes it so).
        var callBlock = new List<Instruction>();
        if (handlerToken is null) callBlock.Add(Instruction.Create(OpCodes.Castclass, handlerHere));
        for (var i = 0; i < signature.Length - 1; i++) callBlock.Add(Instruction.Create(OpCodes.Ldarg, method.Parameters[i]));
        callBlock.Add(isVoid ? Instruction.Create(OpCodes.Ldloca, handledLocal) : Instruction.Create(OpCodes.Ldarg, handledArg));
        callBlock.Add(Instruction.Create(OpCodes.Callvirt, invoke));
        if (isVoid) callBlock.Add(Instruction.Create(OpCodes.Ldloc, handledLocal));
        callBlock.Add(Instruction.Create(OpCodes.Ret));

        il.Add(Instruction.Create(OpCodes.Ldarg, slot));
        il.Add(handlerToken is null ? Instruction.Create(OpCodes.Ldtoken, handlerHere) : Instruction.Create(OpCodes.Ldarg, handlerToken));
        il.Add(Instruction.Create(OpCodes.Call, _runtime.Lookup));
        il.Add(Instruction.Create(OpCodes.Dup));
        il.Add(Instruction.Create(OpCodes.Brtrue, callBlock[0]));
        il.Add(Instruction.Create(OpCodes.Pop));
        if (!isVoid)
        {
            il.Add(Instruction.Create(OpCodes.Ldarg, handledArg));
            il.Add(Instruction.Create(OpCodes.Ldc_I4_0));
            il.Add(Instruction.Create(OpCodes.Stind_I1));
        }
        EmitDefault(il, body, isVoid ? _module.TypeSystem.Boolean : returnType);
        il.Add(Instruction.Create(OpCodes.Ret));
        foreach (var instruction in callBlock) il.Add(instruction);
        Mono.Cecil.Rocks.MethodBodyRocks.OptimizeMacros(body);
        return method;
    }

    /// <summary>
    /// Pushes default(<paramref name="type"/>) without naming a type the trap table may not see (a
    /// private nested struct): constants where there are, else a local zeroed by InitLocals (only
    /// then: the handler's "handled" local needs no zeroing).
    /// </summary>
    void EmitDefault(IList<Instruction> il, MethodBody body, TypeReference type)
    {
        switch (type.MetadataType)
        {
            case MetadataType.Boolean: case MetadataType.Char: case MetadataType.SByte: case MetadataType.Byte:
            case MetadataType.Int16: case MetadataType.UInt16: case MetadataType.Int32: case MetadataType.UInt32:
                il.Add(Instruction.Create(OpCodes.Ldc_I4_0));
                return;
            case MetadataType.Int64: case MetadataType.UInt64:
                il.Add(Instruction.Create(OpCodes.Ldc_I4_0));
                il.Add(Instruction.Create(OpCodes.Conv_I8));
                return;
            case MetadataType.Single:
                il.Add(Instruction.Create(OpCodes.Ldc_R4, 0f));
                return;
            case MetadataType.Double:
                il.Add(Instruction.Create(OpCodes.Ldc_R8, 0d));
                return;
            case MetadataType.IntPtr: case MetadataType.UIntPtr: case MetadataType.Pointer: case MetadataType.FunctionPointer: case MetadataType.ByReference:
                il.Add(Instruction.Create(OpCodes.Ldc_I4_0));
                il.Add(Instruction.Create(OpCodes.Conv_U));
                return;
        }
        if (!type.IsValueType && type is not GenericParameter)
        {
            il.Add(Instruction.Create(OpCodes.Ldnull));
            return;
        }
        var local = new VariableDefinition(type);
        body.Variables.Add(local);
        if (type is GenericParameter)
        {
            il.Add(Instruction.Create(OpCodes.Ldloca, local));
            il.Add(Instruction.Create(OpCodes.Initobj, type));
        }
        else body.InitLocals = true;
        il.Add(Instruction.Create(OpCodes.Ldloc, local));
    }

    void CopyConstraints(GenericParameter[] sources, bool[] needed, IList<GenericParameter> targets, Func<TypeReference, TypeReference> map)
    {
        for (var i = 0; i < sources.Length; i++)
        {
            var (attributes, constraints) = ConstraintsOf(sources[i], needed[i]);
            targets[i].Attributes = attributes;
            foreach (var c in constraints) targets[i].Constraints.Add(new GenericParameterConstraint(map(c)));
        }
    }

    /// <summary>Whether the method's dispatcher returns "handled" (it has no result: void, or a constructor).</summary>
    public static bool ReturnsNothing(MethodDefinition method) =>
        method.IsConstructor || Strip(method.ReturnType).MetadataType == MetadataType.Void;

    static TypeReference Strip(TypeReference type) => type switch
    {
        RequiredModifierType r => Strip(r.ElementType),
        OptionalModifierType o => Strip(o.ElementType),
        ByReferenceType b => new ByReferenceType(Strip(b.ElementType)),
        _ => type,
    };

    /// <summary>Rewrites a type from the method's generic context into the delegate's (type params first, then method params).</summary>
    static TypeReference Map(TypeReference type, IGenericParameterProvider d, int typeParamCount) =>
        MapWith(type, gp => gp.Type == GenericParameterType.Type ? d.GenericParameters[gp.Position] : d.GenericParameters[typeParamCount + gp.Position]);

    /// <summary>Rewrites a type from the method's generic context into the dispatcher's (a generic method: type params first, then method params).</summary>
    static TypeReference MapToMethod(TypeReference type, MethodDefinition d, int typeParamCount) => Map(type, d, typeParamCount);

    static TypeReference MapWith(TypeReference type, Func<GenericParameter, TypeReference> parameter)
    {
        TypeReference Map(TypeReference t) => MapWith(t, parameter);
        switch (type)
        {
            case GenericParameter gp: return parameter(gp);
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
            case RequiredModifierType r: return new RequiredModifierType(r.ModifierType, Map(r.ElementType));
            case OptionalModifierType o: return new OptionalModifierType(o.ModifierType, Map(o.ElementType));
            case GenericInstanceType g:
            {
                var instance = new GenericInstanceType(g.ElementType);
                foreach (var arg in g.GenericArguments) instance.GenericArguments.Add(Map(arg));
                return instance;
            }
            case FunctionPointerType f:
            {
                var fp = new FunctionPointerType { ReturnType = Map(f.ReturnType), CallingConvention = f.CallingConvention, HasThis = f.HasThis, ExplicitThis = f.ExplicitThis };
                foreach (var p in f.Parameters) fp.Parameters.Add(new ParameterDefinition(Map(p.ParameterType)));
                return fp;
            }
            default: return type;
        }
    }
}
