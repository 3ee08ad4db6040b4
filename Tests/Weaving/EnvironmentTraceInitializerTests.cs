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
        // Main's exit code is Ran: what the module's own initializer left.
        var main = new MethodDefinition("Main", MethodAttributes.Public | MethodAttributes.Static, module.TypeSystem.Int32);
        main.Body.GetILProcessor().Emit(OpCodes.Ldsfld, ran);
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

    static int RunModuleInitializer(AssemblyDefinition assembly, string runtimeName, bool inChildProcess = false)
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
            if (inChildProcess) return RunApp(path);
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

    /// <remarks>
    /// In a process of its own: in this one, once a test has patched a member natively, the JIT hook
    /// (Native/JitHook) stands in front of the JIT, and a load failure the JIT raises while compiling
    /// (here, the missing runtime) cannot unwind through it: the process is torn down
    /// (PAL_SEHException). That is a known bug of the hook (Native/PLAN.md), not of the initializer.
    /// </remarks>
    [Fact]
    public void A_runtime_that_cannot_be_loaded_does_not_stop_the_module_initializing() =>
        Assert.Equal(1, RunModuleInitializer(App("InitAppMissing"), "Trapweave.NotThere", inChildProcess: true));

    /// <summary>Runs the app with the test host's runtime (its framework reference only) and returns its exit code.</summary>
    static int RunApp(string path)
    {
        var config = Path.ChangeExtension(path, ".runtimeconfig.json");
        File.WriteAllText(config, $$"""{ "runtimeOptions": { "tfm": "net10.0", "rollForward": "LatestMajor", "framework": { "name": "Microsoft.NETCore.App", "version": "{{System.Environment.Version.ToString(3)}}" } } }""");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(path);
        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "the app did not exit within a minute");
        Assert.True(process.ExitCode is 0 or 1, "the app failed: " + error.Result);
        return process.ExitCode;
    }

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
