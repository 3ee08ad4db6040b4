using System;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Trapweave.Fody.Core;

/// <summary>
/// The module initializer of a woven app: a call to <c>Trapweave.Tracing.EnvironmentTrace.Initialize(name,
/// traceFromEnvironment)</c>, which traces the process when TRAPWEAVE_TRACE is set and the build opted
/// in (<c>TraceFromEnvironment="true"</c>), and otherwise says why it does not. Only in modules with an
/// entry point that are not test projects: a library is no process, and tests are traced per test by
/// the test-scope sources. The call sits in a helper inside try/catch, so even a missing Trapweave.dll
/// (the helper then fails to compile) cannot stop the app from starting.
/// </summary>
public static class EnvironmentTraceInitializer
{
    public const string HelperTypeName = "<Trapweave>EnvironmentTrace";

    static readonly string[] TestFrameworks =
    {
        "xunit.core", "xunit.v3.core", "nunit.framework", "MSTest.TestFramework",
        "Microsoft.VisualStudio.TestPlatform.TestFramework", "Microsoft.Testing.Platform",
    };

    /// <summary>Whether <paramref name="module"/> gets the initializer: an app, not a test project.</summary>
    public static bool Applies(ModuleDefinition module) =>
        module.EntryPoint is not null && !module.AssemblyReferences.Any(r => TestFrameworks.Contains(r.Name, StringComparer.OrdinalIgnoreCase));

    public static void Add(ModuleDefinition module, AssemblyNameReference runtime, bool traceFromEnvironment)
    {
        var system = module.TypeSystem;
        var environmentTrace = new TypeReference("Trapweave.Tracing", "EnvironmentTrace", module, runtime);
        var initialize = new MethodReference("Initialize", system.Void, environmentTrace) { HasThis = false };
        initialize.Parameters.Add(new ParameterDefinition(system.String));
        initialize.Parameters.Add(new ParameterDefinition(system.Boolean));

        var helper = new TypeDefinition("", HelperTypeName,
            TypeAttributes.NotPublic | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit, system.Object);
        helper.CustomAttributes.Add(new CustomAttribute(module.ImportReference(
            new MethodReference(".ctor", system.Void, new TypeReference("System.Runtime.CompilerServices", "CompilerGeneratedAttribute", module, system.CoreLibrary)) { HasThis = true })));
        var start = new MethodDefinition("Start", MethodAttributes.Assembly | MethodAttributes.Static | MethodAttributes.HideBySig, system.Void)
        {
            // Its own method, never inlined into the initializer: a Trapweave.dll that cannot load fails here, inside the try.
            ImplAttributes = MethodImplAttributes.NoInlining,
        };
        var il = start.Body.GetILProcessor();
        il.Emit(OpCodes.Ldstr, module.Assembly.Name.Name);
        il.Emit(traceFromEnvironment ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Call, initialize);
        il.Emit(OpCodes.Ret);
        helper.Methods.Add(start);
        module.Types.Add(helper);

        var moduleType = module.Types.First(t => t.Name == "<Module>");
        var cctor = moduleType.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic);
        if (cctor is null)
        {
            cctor = new MethodDefinition(".cctor",
                MethodAttributes.Private | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName | MethodAttributes.Static, system.Void);
            cctor.Body.GetILProcessor().Emit(OpCodes.Ret);
            moduleType.Methods.Add(cctor);
        }

        // try { Start(); } catch (object) { } ahead of whatever the initializer did before.
        var body = cctor.Body;
        var rest = body.Instructions[0];
        var call = Instruction.Create(OpCodes.Call, start);
        var leaveTry = Instruction.Create(OpCodes.Leave, rest);
        var pop = Instruction.Create(OpCodes.Pop);
        var leaveCatch = Instruction.Create(OpCodes.Leave, rest);
        var processor = body.GetILProcessor();
        processor.InsertBefore(rest, call);
        processor.InsertBefore(rest, leaveTry);
        processor.InsertBefore(rest, pop);
        processor.InsertBefore(rest, leaveCatch);
        body.ExceptionHandlers.Insert(0, new ExceptionHandler(ExceptionHandlerType.Catch)
        {
            TryStart = call, TryEnd = pop, HandlerStart = pop, HandlerEnd = rest, CatchType = system.Object,
        });
        if (body.MaxStackSize < 2) body.MaxStackSize = 2;
    }
}
