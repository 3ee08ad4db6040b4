using System.IO;
using System.Runtime.CompilerServices;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Trapweave.Fody.Core;
using Trapweave.Tests.Weaving.Support;

namespace Trapweave.Tests.Weaving;

/// <summary>
/// The module initializer a woven app gets (EnvironmentTraceInitializer): only apps that are not test
/// projects, ahead of the module's own initializer, which still runs; and a runtime that cannot be
/// loaded does not stop the module from initializing. The traced run itself is an end-to-end test.
/// </summary>
public class EnvironmentTraceInitializerTests
{
    /// <summary>An app whose own module initializer sets Program.Ran = 1.</summary>
    static AssemblyDefinition App(string name, ModuleKind kind = ModuleKind.Console)
    {
        var assembly = AssemblyDefinition.CreateAssembly(new AssemblyNameDefinition(name, new System.Version(1, 0)), name, kind);
        var module = assembly.MainModule;
        var program = new TypeDefinition("InitApp", "Program", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed, module.TypeSystem.Object);
        var ran = new FieldDefinition("Ran", FieldAttributes.Public | FieldAttributes.Static, module.TypeSystem.Int32);
        program.Fields.Add(ran);
        var main = new MethodDefinition("Main", MethodAttributes.Public | MethodAttributes.Static, module.TypeSystem.Void);
        main.Body.GetILProcessor().Emit(OpCodes.Ret);
        program.Methods.Add(main);
        module.Types.Add(program);
        if (kind != ModuleKind.Dll) module.EntryPoint = main;

        var cctor = new MethodDefinition(".cctor", MethodAttributes.Private | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName | MethodAttributes.Static, module.TypeSystem.Void);
        var il = cctor.Body.GetILProcessor();
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Stsfld, ran);
        il.Emit(OpCodes.Ret);
        module.Types.First(t => t.Name == "<Module>").Methods.Add(cctor);
        return assembly;
    }

    static int RunModuleInitializer(AssemblyDefinition assembly, string runtimeName)
    {
        var module = assembly.MainModule;
        var runtime = new AssemblyNameReference(runtimeName, typeof(Trap).Assembly.GetName().Version);
        module.AssemblyReferences.Add(runtime);
        EnvironmentTraceInitializer.Add(module, runtime, traceFromEnvironment: false);

        var cctor = module.Types.First(t => t.Name == "<Module>").Methods.Single(m => m.Name == ".cctor");
        var handler = Assert.Single(cctor.Body.ExceptionHandlers);
        Assert.Same(cctor.Body.Instructions[0], handler.TryStart);
        Assert.Equal("Start", ((MethodReference)cctor.Body.Instructions[0].Operand).Name);

        var dir = Path.Combine(Path.GetTempPath(), "trapweave-init-" + System.Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var path = Path.Combine(dir, module.Name);
            assembly.Write(path);
            using var context = new IsolatedContext("init", dir);
            var loaded = context.LoadCopy(path);
            RuntimeHelpers.RunModuleConstructor(loaded.ManifestModule.ModuleHandle);
            return (int)loaded.GetType("InitApp.Program")!.GetField("Ran")!.GetValue(null)!;
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public void The_call_goes_ahead_of_the_module_s_own_initializer_which_still_runs() =>
        Assert.Equal(1, RunModuleInitializer(App("InitApp"), "Trapweave"));

    [Fact]
    public void A_runtime_that_cannot_be_loaded_does_not_stop_the_module_initializing() =>
        Assert.Equal(1, RunModuleInitializer(App("InitAppMissing"), "Trapweave.NotThere"));

    [Fact]
    public void Only_apps_that_are_not_test_projects_get_it()
    {
        Assert.True(EnvironmentTraceInitializer.Applies(App("A").MainModule));
        Assert.False(EnvironmentTraceInitializer.Applies(App("Lib", ModuleKind.Dll).MainModule));
        foreach (var framework in new[] { "xunit.core", "xunit.v3.core", "nunit.framework", "MSTest.TestFramework", "Microsoft.VisualStudio.TestPlatform.TestFramework", "Microsoft.Testing.Platform" })
        {
            var test = App("T").MainModule;
            test.AssemblyReferences.Add(new AssemblyNameReference(framework, new System.Version(1, 0)));
            Assert.False(EnvironmentTraceInitializer.Applies(test), framework);
        }
    }
}
