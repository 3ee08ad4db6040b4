using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using Trapweave.Fody.Core;

namespace Trapweave.Fody.Redirect;

/// <summary>
/// Generates, per redirected member and call kind, the two stubs call sites are routed through, in
/// the module's <c>&lt;Trapweave&gt;Redirects</c> class:
/// <code>
/// [AggressiveInlining] static R File.Exists(string path)       // what call sites call
///     ldsfld &lt;&gt;9_; brtrue ARMED                                // unarmed: one load, one branch
///     ldarg path; call File::Exists; ret                          // the JIT inlines the target here as before
/// ARMED: ldarg path; call Armed::File.Exists; ret
///
/// [NoInlining] static R Armed::File.Exists(string path)        // a trapped method: the usual prologue
///     ldarg path; call File::Exists; ret
/// </code>
/// The inline stub stays small enough to be inlined into every caller; the armed one carries the
/// trap prologue out of line. Members of generic types and generic methods get generic stubs
/// (the member's type parameters, then its method parameters; for <c>constrained.</c> calls the
/// constrained type first), so every instantiation has its own handler type. Instance members take
/// the receiver first (by reference for value types), constructors become factories.
/// The runtime finds the armed stubs by reading them: their flag, handler type and the member they call.
/// </summary>
public sealed class RedirectStubFactory
{
    public const string TypeName = "<Trapweave>Redirects";
    public const string ArmedTypeName = "Armed";

    readonly ModuleDefinition _module;
    readonly TrapTableBuilder _table;
    readonly HandlerTypeFactory _handlers;
    readonly PrologueWriter _writer;
    readonly Dictionary<string, MethodDefinition> _stubs = new(StringComparer.Ordinal);
    readonly HashSet<string> _names = new(StringComparer.Ordinal);
    TypeDefinition? _type;
    TypeDefinition? _armed;

    public RedirectStubFactory(ModuleDefinition module, TrapTableBuilder table, HandlerTypeFactory handlers, PrologueWriter writer)
    {
        _module = module;
        _table = table;
        _handlers = handlers;
        _writer = writer;
    }

    /// <summary>Distinct (member, kind) stubs made so far.</summary>
    public int StubCount => _stubs.Count;

    /// <summary>The redirect class, once a stub exists (it is added to the module with the first).</summary>
    public TypeDefinition? Type => _type;

    public static bool IsRedirectType(TypeDefinition type) =>
        type.FullName == TypeName || type.DeclaringType?.FullName == TypeName;

    /// <summary>
    /// The method a call site of <paramref name="called"/> of this kind calls instead, instantiated as
    /// the site needs it; <paramref name="constrained"/> is the <c>constrained.</c> prefix's type.
    /// </summary>
    public MethodReference StubFor(MethodReference called, CallKind kind, TypeReference? constrained)
    {
        var declaring = called.DeclaringType;
        var typeArgs = declaring is GenericInstanceType git ? git.GenericArguments.ToArray() : Array.Empty<TypeReference>();
        var element = called is GenericInstanceMethod gim ? gim.ElementMethod : called;
        var methodArgs = called is GenericInstanceMethod gim2 ? gim2.GenericArguments.ToArray() : Array.Empty<TypeReference>();

        var key = Key(kind, declaring.GetElementType(), element, methodArgs.Length);
        if (!_stubs.TryGetValue(key, out var stub))
        {
            stub = Create(kind, declaring.GetElementType(), element, typeArgs.Length, methodArgs.Length);
            _stubs.Add(key, stub);
        }

        var args = new List<TypeReference>();
        if (kind == CallKind.Constrained) args.Add(constrained!);
        args.AddRange(typeArgs);
        args.AddRange(methodArgs);
        if (args.Count == 0) return stub;
        var instance = new GenericInstanceMethod(stub);
        foreach (var arg in args) instance.GenericArguments.Add(arg);
        return instance;
    }

    static string Key(CallKind kind, TypeReference type, MethodReference member, int methodArity) =>
        $"{kind}|{GenericMapper.Key(type)}::{member.Name}`{methodArity}({string.Join(",", GenericMapper.ParameterKeys(member.Parameters))}){GenericMapper.Key(member.ReturnType)}";

    MethodDefinition Create(CallKind kind, TypeReference type, MethodReference member, int typeArity, int methodArity)
    {
        EnsureTypes();
        var name = UniqueName(StubName(type, member));
        var definitions = ResolveGenericDefinitions(type, member, typeArity, methodArity);

        var inline = Define(_type!, name, kind, type, member, typeArity, methodArity, definitions);
        inline.ImplAttributes |= MethodImplAttributes.AggressiveInlining;
        var armed = Define(_armed!, name, kind, type, member, typeArity, methodArity, definitions);
        armed.ImplAttributes |= MethodImplAttributes.NoInlining;

        // The armed stub: call the member, then give it the usual trap prologue.
        var flag = _table.AddFlag();
        EmitCall(armed, kind, type, member, typeArity, methodArity);
        _writer.Write(armed, flag, _handlers.For(armed));

        // The inline stub: the flag test, then the member or the armed stub.
        var il = inline.Body.GetILProcessor();
        var toArmed = inline.Parameters.Select(p => Instruction.Create(OpCodes.Ldarg, p)).ToList();
        toArmed.Add(Instruction.Create(OpCodes.Call, InstantiateOwn(armed, inline)));
        toArmed.Add(Instruction.Create(OpCodes.Ret));
        il.Append(Instruction.Create(OpCodes.Ldsfld, flag));
        il.Append(Instruction.Create(OpCodes.Brtrue, toArmed[0]));
        EmitCall(inline, kind, type, member, typeArity, methodArity);
        foreach (var instruction in toArmed) il.Append(instruction);
        inline.Body.OptimizeMacros();
        return inline;
    }

    void EnsureTypes()
    {
        if (_type is not null) return;
        var corlib = _module.TypeSystem.CoreLibrary;
        _type = new TypeDefinition("", TypeName,
            TypeAttributes.NotPublic | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit | TypeAttributes.Class,
            _module.TypeSystem.Object);
        _armed = new TypeDefinition("", ArmedTypeName,
            TypeAttributes.NestedAssembly | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit | TypeAttributes.Class,
            _module.TypeSystem.Object);
        _type.NestedTypes.Add(_armed);
        // In the module from the start: the prologue writer needs the stubs' module.
        _module.Types.Add(_type);
        AddAttribute(_type, "System.Runtime.CompilerServices", "CompilerGeneratedAttribute", corlib);
        // Stepping goes straight into the member; stack traces show the caller, not the stub.
        AddAttribute(_type, "System.Diagnostics", "DebuggerNonUserCodeAttribute", corlib);
        if (corlib.Name != "netstandard" && corlib.Name != "mscorlib")
        {
            AddAttribute(_type, "System.Diagnostics", "StackTraceHiddenAttribute", corlib);
            AddAttribute(_armed, "System.Diagnostics", "StackTraceHiddenAttribute", corlib);
        }
    }

    void AddAttribute(TypeDefinition target, string ns, string name, IMetadataScope scope)
    {
        var attribute = new TypeReference(ns, name, _module, scope);
        target.CustomAttributes.Add(new CustomAttribute(new MethodReference(".ctor", _module.TypeSystem.Void, attribute) { HasThis = true }));
    }

    static string StubName(TypeReference type, MethodReference member)
    {
        var typeName = type.Name;
        var tick = typeName.IndexOf('`');
        if (tick >= 0) typeName = typeName.Substring(0, tick);
        return typeName + "." + member.Name;
    }

    string UniqueName(string name)
    {
        var candidate = name;
        for (var n = 2; !_names.Add(candidate); n++) candidate = name + "#" + n;
        return candidate;
    }

    /// <summary>The member's generic parameter definitions (for constraints), or empty when it has none.</summary>
    static (IList<GenericParameter> Type, IList<GenericParameter> Method) ResolveGenericDefinitions(TypeReference type, MethodReference member, int typeArity, int methodArity)
    {
        IList<GenericParameter> typeParams = Array.Empty<GenericParameter>();
        IList<GenericParameter> methodParams = Array.Empty<GenericParameter>();
        if (typeArity > 0)
            typeParams = type.Resolve()?.GenericParameters ?? throw new WeavingError($"Cannot redirect calls to {member.FullName}: its type could not be resolved.");
        if (methodArity > 0)
            methodParams = member.Resolve()?.GenericParameters ?? throw new WeavingError($"Cannot redirect calls to {member.FullName}: it could not be resolved.");
        return (typeParams, methodParams);
    }

    MethodDefinition Define(TypeDefinition owner, string name, CallKind kind, TypeReference type, MethodReference member, int typeArity, int methodArity,
        (IList<GenericParameter> Type, IList<GenericParameter> Method) definitions)
    {
        var stub = new MethodDefinition(name, MethodAttributes.Assembly | MethodAttributes.Static | MethodAttributes.HideBySig, _module.TypeSystem.Void);
        owner.Methods.Add(stub);
        if (kind == CallKind.Constrained) stub.GenericParameters.Add(new GenericParameter("TReceiver", stub));
        var offset = stub.GenericParameters.Count;
        for (var i = 0; i < typeArity; i++) stub.GenericParameters.Add(new GenericParameter(definitions.Type[i].Name, stub));
        for (var i = 0; i < methodArity; i++) stub.GenericParameters.Add(new GenericParameter(definitions.Method[i].Name, stub));

        var typeMap = stub.GenericParameters.Skip(offset).Take(typeArity).ToList();
        var methodMap = stub.GenericParameters.Skip(offset + typeArity).ToList();
        var mapper = new GenericMapper(_module, typeMap, methodMap);
        CopyConstraints(definitions.Type, typeMap, mapper);
        CopyConstraints(definitions.Method, methodMap, mapper);

        var declaring = InContext(type, typeMap);
        switch (kind)
        {
            case CallKind.Virtual:
            case CallKind.Direct:
                stub.Parameters.Add(new ParameterDefinition("self", ParameterAttributes.None, declaring));
                break;
            case CallKind.Value:
                stub.Parameters.Add(new ParameterDefinition("self", ParameterAttributes.None, new ByReferenceType(declaring)));
                break;
            case CallKind.Constrained:
                stub.Parameters.Add(new ParameterDefinition("self", ParameterAttributes.None, new ByReferenceType(stub.GenericParameters[0])));
                break;
        }
        for (var i = 0; i < member.Parameters.Count; i++)
        {
            var p = member.Parameters[i];
            var name2 = string.IsNullOrEmpty(p.Name) ? "a" + i : p.Name;
            stub.Parameters.Add(new ParameterDefinition(name2, p.Attributes & (ParameterAttributes.In | ParameterAttributes.Out), mapper.Map(p.ParameterType)));
        }
        stub.ReturnType = kind == CallKind.Create ? declaring : mapper.Map(member.ReturnType);
        stub.Body.InitLocals = false;
        return stub;
    }

    static void CopyConstraints(IList<GenericParameter> sources, IList<GenericParameter> targets, GenericMapper mapper)
    {
        for (var i = 0; i < sources.Count; i++)
        {
            targets[i].Attributes = sources[i].Attributes & ~GenericParameterAttributes.VarianceMask;
            foreach (var c in sources[i].Constraints)
                targets[i].Constraints.Add(new GenericParameterConstraint(mapper.Map(c.ConstraintType)));
        }
    }

    /// <summary>The member's type as seen from a stub: instantiated over the stub's parameters when generic.</summary>
    static TypeReference InContext(TypeReference type, IList<GenericParameter> typeMap)
    {
        if (typeMap.Count == 0) return type;
        var instance = new GenericInstanceType(type);
        foreach (var gp in typeMap) instance.GenericArguments.Add(gp);
        return instance;
    }

    /// <summary>Appends <c>ldarg</c>s, the call to the member as the site made it (in the stub's generic context), and <c>ret</c>.</summary>
    static void EmitCall(MethodDefinition stub, CallKind kind, TypeReference type, MethodReference member, int typeArity, int methodArity)
    {
        var offset = kind == CallKind.Constrained ? 1 : 0;
        var typeMap = stub.GenericParameters.Skip(offset).Take(typeArity).ToList();
        var methodMap = stub.GenericParameters.Skip(offset + typeArity).ToList();

        var target = new MethodReference(member.Name, member.ReturnType, InContext(type, typeMap))
        {
            HasThis = member.HasThis, ExplicitThis = member.ExplicitThis, CallingConvention = member.CallingConvention,
        };
        foreach (var p in member.Parameters) target.Parameters.Add(new ParameterDefinition(p.ParameterType));
        MethodReference call = target;
        if (methodArity > 0)
        {
            for (var i = 0; i < methodArity; i++) target.GenericParameters.Add(new GenericParameter(target));
            var instance = new GenericInstanceMethod(target);
            foreach (var gp in methodMap) instance.GenericArguments.Add(gp);
            call = instance;
        }

        var il = stub.Body.GetILProcessor();
        LoadArguments(stub, il);
        switch (kind)
        {
            case CallKind.Static:
            case CallKind.Direct:
            case CallKind.Value:
                il.Append(Instruction.Create(OpCodes.Call, call));
                break;
            case CallKind.Virtual:
                il.Append(Instruction.Create(OpCodes.Callvirt, call));
                break;
            case CallKind.Constrained:
                il.Append(Instruction.Create(OpCodes.Constrained, stub.GenericParameters[0]));
                il.Append(Instruction.Create(OpCodes.Callvirt, call));
                break;
            case CallKind.Create:
                il.Append(Instruction.Create(OpCodes.Newobj, call));
                break;
        }
        il.Append(Instruction.Create(OpCodes.Ret));
    }

    static void LoadArguments(MethodDefinition stub, ILProcessor il)
    {
        foreach (var p in stub.Parameters) il.Append(Instruction.Create(OpCodes.Ldarg, p));
    }

    /// <summary><paramref name="armed"/> instantiated over <paramref name="caller"/>'s own generic parameters.</summary>
    static MethodReference InstantiateOwn(MethodDefinition armed, MethodDefinition caller)
    {
        if (!armed.HasGenericParameters) return armed;
        var instance = new GenericInstanceMethod(armed);
        foreach (var gp in caller.GenericParameters) instance.GenericArguments.Add(gp);
        return instance;
    }
}
