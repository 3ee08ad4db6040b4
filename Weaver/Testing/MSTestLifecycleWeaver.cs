using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Trapweave.Fody.Core;

namespace Trapweave.Fody.Testing;

/// <summary>
/// Gives an MSTest test assembly's class and assembly levels their own Trap scopes. MSTest has no
/// hook that runs before a [ClassInitialize] or [AssemblyInitialize] method, and an async one's
/// AsyncLocal changes never reach the tests, so its registrations would be lost. This inserts, first
/// thing in each such method, a call that opens the level's scope (in the generated
/// <c>TrapweaveMSTestTestScopes</c> class the package's targets compile into the project): even in
/// an async method that part runs in MSTest's own execution context, which then flows on to the
/// level's tests, and the scope collects what the method and its awaited helpers register.
/// A class's scope ends when its [ClassCleanup] has run (after each return of the one it declares,
/// or in one added for it); the assembly's lasts for the run, as its setup does.
/// </summary>
public static class MSTestLifecycleWeaver
{
    const string Framework = "Microsoft.VisualStudio.TestTools.UnitTesting";
    const string TestContextType = Framework + ".TestContext";
    const string ScopesTypeName = "Trapweave.Testing.Generated.TrapweaveMSTestTestScopes";
    public const string AddedCleanupName = "<Trapweave>EndClassScope";

    /// <summary>
    /// Inserts the scope calls into <paramref name="module"/>; returns how many lifecycle methods it
    /// changed or added (0 when the module has none, or was done before, or has no generated scopes class).
    /// </summary>
    public static int Weave(ModuleDefinition module, IWeaverLog log)
    {
        if (module.GetType(ScopesTypeName) is not { } scopes) return 0;
        var calls = new ScopeCalls(module, scopes);
        if (!calls.Complete)
        {
            log.Warning($"Trapweave: {ScopesTypeName} in {module.Name} lacks its lifecycle methods; [ClassInitialize] and [AssemblyInitialize] get no scopes (is the Trapweave.Fody package older than the Trapweave runtime?).");
            return 0;
        }

        var changed = 0;
        foreach (var type in module.GetTypes().Where(t => t != scopes && t.HasMethods).ToList())
        {
            CustomAttribute? classInitialize = null;
            foreach (var method in type.Methods.ToList())
            {
                if (!method.HasBody || !method.IsStatic || !TakesTestContextFirst(method)) continue;
                if (method.LifecycleAttribute("AssemblyInitializeAttribute") is not null && InsertFirst(method, calls.BeginAssemblyScope)) changed++;
                if (method.LifecycleAttribute("ClassInitializeAttribute") is { } attribute)
                {
                    classInitialize = attribute;
                    if (InsertFirst(method, calls.BeginClassScope)) changed++;
                }
            }
            if (classInitialize is null) continue;

            if (type.Methods.FirstOrDefault(m => m.LifecycleAttribute("ClassCleanupAttribute") is not null) is { } cleanup)
            {
                if (cleanup.Name == AddedCleanupName || EndsClassScope(cleanup, calls)) continue;
                if (EndAfterEachReturn(cleanup, calls)) changed++;
                else log.Info($"Trapweave: [ClassCleanup] {type.FullName}::{cleanup.Name} returns {cleanup.ReturnType.FullName}; the class's Trap scope is not ended when it runs, only with the test run.");
            }
            else
            {
                if (AddCleanup(type, classInitialize, calls)) changed++;
                else log.Info($"Trapweave: no [ClassCleanup] constructor found for {type.FullName}; its Trap scope ends only with the test run.");
            }
        }
        return changed;
    }

    static CustomAttribute? LifecycleAttribute(this MethodDefinition method, string name) =>
        method.HasCustomAttributes
            ? method.CustomAttributes.FirstOrDefault(a => a.AttributeType.Namespace == Framework && a.AttributeType.Name == name)
            : null;

    static bool TakesTestContextFirst(MethodDefinition method) =>
        method.HasParameters && method.Parameters[0].ParameterType.FullName == TestContextType;

    /// <summary>Puts <c>ldarg.0; call begin</c> before the first instruction, unless it is there already.</summary>
    static bool InsertFirst(MethodDefinition method, MethodReference begin)
    {
        var instructions = method.Body.Instructions;
        if (instructions.Count > 1 && instructions[1].OpCode == OpCodes.Call && instructions[1].Operand is MethodReference m && m.FullName == begin.FullName)
            return false;
        var il = method.Body.GetILProcessor();
        var first = instructions[0];
        il.InsertBefore(first, il.Create(OpCodes.Ldarg_0));
        il.InsertBefore(first, il.Create(OpCodes.Call, begin));
        return true;
    }

    static bool EndsClassScope(MethodDefinition cleanup, ScopeCalls calls) =>
        cleanup.HasBody && cleanup.Body.Instructions.Any(i => i.OpCode == OpCodes.Call && i.Operand is MethodReference m && calls.IsEnd(m));

    /// <summary>
    /// Ends the class's scope at every return of a void or Task [ClassCleanup] (a Task's once it has
    /// completed). Each <c>ret</c> becomes the first of the new instructions, so branches to it and
    /// handler ends stay right. False for any other return type.
    /// </summary>
    static bool EndAfterEachReturn(MethodDefinition cleanup, ScopeCalls calls)
    {
        if (!cleanup.HasBody || !cleanup.IsStatic) return false;
        var withContext = TakesTestContextFirst(cleanup);
        MethodReference end;
        if (cleanup.ReturnType.MetadataType == MetadataType.Void) end = withContext ? calls.EndClassScopeWithContext : calls.EndClassScopeByName;
        else if (cleanup.ReturnType.FullName == "System.Threading.Tasks.Task") end = withContext ? calls.EndClassScopeAfterWithContext : calls.EndClassScopeAfterByName;
        else return false;

        var il = cleanup.Body.GetILProcessor();
        foreach (var ret in cleanup.Body.Instructions.Where(i => i.OpCode == OpCodes.Ret).ToList())
        {
            if (withContext)
            {
                ret.OpCode = OpCodes.Ldarg_0;
                ret.Operand = null;
            }
            else
            {
                ret.OpCode = OpCodes.Ldstr;
                ret.Operand = ReflectionName(cleanup.DeclaringType);
            }
            var call = il.Create(OpCodes.Call, end);
            il.InsertAfter(ret, call);
            il.InsertAfter(call, il.Create(OpCodes.Ret));
        }
        return true;
    }

    /// <summary>
    /// A public static [ClassCleanup] that ends the class's scope, with the initializer's inheritance
    /// (an inherited initializer scopes each derived class, so the cleanup must run for each too).
    /// </summary>
    static bool AddCleanup(TypeDefinition type, CustomAttribute classInitialize, ScopeCalls calls)
    {
        var module = type.Module;
        var method = new MethodDefinition(AddedCleanupName, MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig, module.TypeSystem.Void);
        method.Parameters.Add(new ParameterDefinition("testContext", ParameterAttributes.None, calls.TestContext));
        var il = method.Body.GetILProcessor();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, calls.EndClassScopeWithContext);
        il.Emit(OpCodes.Ret);

        var attributeType = classInitialize.AttributeType.Resolve();
        var cleanupType = attributeType?.Module.GetType(Framework + ".ClassCleanupAttribute");
        var inheritance = classInitialize.ConstructorArguments.FirstOrDefault(a => a.Type.Name == "InheritanceBehavior");
        MethodDefinition? constructor = null;
        if (cleanupType is not null)
            constructor = inheritance.Type is not null
                ? cleanupType.Methods.FirstOrDefault(m => m.IsConstructor && !m.IsStatic && m.Parameters.Count == 1 && m.Parameters[0].ParameterType.Name == "InheritanceBehavior")
                : cleanupType.Methods.FirstOrDefault(m => m.IsConstructor && !m.IsStatic && m.Parameters.Count == 0);
        if (constructor is null) return false;
        var attribute = new CustomAttribute(module.ImportReference(constructor));
        if (inheritance.Type is not null) attribute.ConstructorArguments.Add(new CustomAttributeArgument(module.ImportReference(inheritance.Type), inheritance.Value));
        method.CustomAttributes.Add(attribute);
        type.Methods.Add(method);
        return true;
    }

    /// <summary>The name reflection (and so MSTest's FullyQualifiedTestClassName) gives a type: nested types joined by '+'.</summary>
    static string ReflectionName(TypeDefinition type) => type.FullName.Replace('/', '+');

    /// <summary>The generated class's lifecycle methods, imported into the module.</summary>
    sealed class ScopeCalls
    {
        public ScopeCalls(ModuleDefinition module, TypeDefinition scopes)
        {
            MethodReference? Find(string name, params string[] parameters)
            {
                var method = scopes.Methods.FirstOrDefault(m => m.Name == name && m.IsStatic && m.Parameters.Select(p => p.ParameterType.FullName).SequenceEqual(parameters));
                return method is null ? null : module.ImportReference(method);
            }
            BeginAssemblyScope = Find("BeginAssemblyScope", TestContextType)!;
            var beginClassScope = Find("BeginClassScope", TestContextType);
            BeginClassScope = beginClassScope!;
            EndClassScopeWithContext = Find("EndClassScope", TestContextType)!;
            EndClassScopeByName = Find("EndClassScope", "System.String")!;
            EndClassScopeAfterWithContext = Find("EndClassScopeAfter", "System.Threading.Tasks.Task", TestContextType)!;
            EndClassScopeAfterByName = Find("EndClassScopeAfter", "System.Threading.Tasks.Task", "System.String")!;
            TestContext = beginClassScope?.Parameters[0].ParameterType!;
            Complete = new[] { BeginAssemblyScope, beginClassScope, EndClassScopeWithContext, EndClassScopeByName, EndClassScopeAfterWithContext, EndClassScopeAfterByName }.All(m => m is not null);
        }

        public bool Complete { get; }
        public MethodReference BeginAssemblyScope { get; }
        public MethodReference BeginClassScope { get; }
        public MethodReference EndClassScopeWithContext { get; }
        public MethodReference EndClassScopeByName { get; }
        public MethodReference EndClassScopeAfterWithContext { get; }
        public MethodReference EndClassScopeAfterByName { get; }
        public TypeReference TestContext { get; }

        public bool IsEnd(MethodReference method) =>
            method.FullName == EndClassScopeWithContext.FullName || method.FullName == EndClassScopeByName.FullName ||
            method.FullName == EndClassScopeAfterWithContext.FullName || method.FullName == EndClassScopeAfterByName.FullName;
    }
}
