using System.IO;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Trapweave.Fody.Core;
using Trapweave.Fody.Testing;
using Trapweave.Tests.Weaving.Support;

namespace Trapweave.Tests.Testing;

/// <summary>
/// MSTestLifecycleWeaver on a copy of the MSTestLifecycle fixture (an unwoven MSTest test assembly
/// with the generated scopes class): every [ClassInitialize] and [AssemblyInitialize] opens its
/// level's scope first, class cleanups end it at each return or in one added for the class, the
/// result JIT-compiles and keeps its symbols, and a second pass changes nothing. What the scopes do
/// under a real MSTest run is MSTestScopeTests' (end to end).
/// </summary>
public class MSTestLifecycleTests
{
    const string Scopes = "TrapweaveMSTestTestScopes";

    static (TempDirectory Dir, string Path, RecordingLog Log, bool Wrote) WeaveCopy()
    {
        var dir = new TempDirectory("mstest-lifecycle");
        var path = dir.Copy(TestFiles.InOutput("Trapweave.MSTestLifecycle.dll"));
        dir.Copy(TestFiles.InOutput("Trapweave.MSTestLifecycle.pdb"));
        dir.Copy(TestFiles.InOutput("MSTest.TestFramework.dll"));
        var log = new RecordingLog();
        var wrote = AssemblyFileWeaver.RewriteFile(path, log, new[] { TestFiles.RuntimeDirectory }, null, m => MSTestLifecycleWeaver.Weave(m, log) > 0);
        return (dir, path, log, wrote);
    }

    static MethodDefinition Method(ModuleDefinition module, string type, string name) =>
        module.GetType("MSTestLifecycle." + type).Methods.Single(m => m.Name == name);

    static List<string> Calls(MethodDefinition method) =>
        method.Body.Instructions.Where(i => i.Operand is MethodReference).Select(i => ((MethodReference)i.Operand).DeclaringType.Name + "." + ((MethodReference)i.Operand).Name).ToList();

    [Fact]
    public void Initializers_open_their_levels_scope_before_anything_else()
    {
        var (dir, path, log, wrote) = WeaveCopy();
        using (dir)
        {
            Assert.True(wrote, log.ToString());
            using var module = ModuleDefinition.ReadModule(path);

            foreach (var (type, method, begin) in new[]
                     {
                         ("AssemblyLevel", "InitializeAsync", "BeginAssemblyScope"),
                         ("SyncNoCleanup", "Initialize", "BeginClassScope"),
                         ("AsyncWithAsyncCleanup", "InitializeAsync", "BeginClassScope"),
                         ("InheritedInitializerBase", "InitializeEach", "BeginClassScope"),
                     })
            {
                var instructions = Method(module, type, method).Body.Instructions;
                Assert.Equal(OpCodes.Ldarg_0, instructions[0].OpCode);
                Assert.Equal(OpCodes.Call, instructions[1].OpCode);
                Assert.Equal(Scopes + "." + begin, Calls(Method(module, type, method))[0]);
            }
        }
    }

    [Fact]
    public void A_class_cleanup_ends_the_scope_at_every_return_and_a_class_without_one_gets_one()
    {
        var (dir, path, log, _) = WeaveCopy();
        using (dir)
        {
            using var module = ModuleDefinition.ReadModule(path);

            // Async cleanup without a TestContext: the task it returns is handed on, ended once it completes.
            var asyncCleanup = Method(module, "AsyncWithAsyncCleanup", "CleanUpAsync");
            Assert.Equal(Scopes + ".EndClassScopeAfter", Calls(asyncCleanup).Last());
            Assert.Contains(asyncCleanup.Body.Instructions, i => i.OpCode == OpCodes.Ldstr && (string)i.Operand == "MSTestLifecycle.AsyncWithAsyncCleanup");

            // Void cleanup with early returns: each ret (the branch targets) now ends the scope first.
            var branching = Method(module, "SyncWithBranchingCleanup", "CleanUp");
            var rets = branching.Body.Instructions.Where(i => i.OpCode == OpCodes.Ret).ToList();
            Assert.NotEmpty(rets);
            Assert.All(rets, ret =>
            {
                Assert.Equal(OpCodes.Call, ret.Previous.OpCode);
                Assert.Equal("EndClassScope", ((MethodReference)ret.Previous.Operand).Name);
                Assert.Equal(OpCodes.Ldarg_0, ret.Previous.Previous.OpCode);
            });
            Assert.All(branching.Body.Instructions.Where(i => i.Operand is Instruction), branch => Assert.NotEqual(OpCodes.Ret, ((Instruction)branch.Operand).OpCode));

            // Added cleanups, with the initializer's inheritance.
            var added = Method(module, "SyncNoCleanup", MSTestLifecycleWeaver.AddedCleanupName);
            Assert.True(added.IsPublic && added.IsStatic);
            Assert.Equal("Microsoft.VisualStudio.TestTools.UnitTesting.ClassCleanupAttribute", Assert.Single(added.CustomAttributes).AttributeType.FullName);
            Assert.Empty(added.CustomAttributes[0].ConstructorArguments);
            var inherited = Method(module, "InheritedInitializerBase", MSTestLifecycleWeaver.AddedCleanupName);
            Assert.Equal("InheritanceBehavior", Assert.Single(inherited.CustomAttributes[0].ConstructorArguments).Type.Name);

            // A ValueTask cleanup is left as it was, and the build log says what that means.
            Assert.DoesNotContain(Calls(Method(module, "ValueTaskCleanup", "CleanUpAsync")), c => c.StartsWith(Scopes));
            Assert.DoesNotContain(module.GetType("MSTestLifecycle.ValueTaskCleanup").Methods, m => m.Name == MSTestLifecycleWeaver.AddedCleanupName);
            Assert.Contains(log.Infos, m => m.Contains("ValueTaskCleanup::CleanUpAsync returns System.Threading.Tasks.ValueTask") && m.Contains("only with the test run"));
        }
    }

    [Fact]
    public void The_result_JIT_compiles_keeps_its_symbols_and_a_second_pass_changes_nothing()
    {
        var (dir, path, log, _) = WeaveCopy();
        using (dir)
        {
            using (var context = new IsolatedContext("mstest-lifecycle", Path.GetDirectoryName(path)!))
            {
                var report = MethodPreparer.PrepareAll(context.LoadCopy(path));
                Assert.Empty(report.Failures);
                Assert.True(report.Prepared > 20, $"only {report.Prepared} methods prepared");
            }
            using (var module = ModuleDefinition.ReadModule(path, new ReaderParameters { ReadSymbols = true }))
                Assert.True(Method(module, "SyncWithBranchingCleanup", "CleanUp").DebugInformation.HasSequencePoints);

            var before = File.ReadAllBytes(path);
            var again = new RecordingLog();
            Assert.False(AssemblyFileWeaver.RewriteFile(path, again, new[] { TestFiles.RuntimeDirectory }, null, m => MSTestLifecycleWeaver.Weave(m, again) > 0));
            Assert.Equal(before, File.ReadAllBytes(path));
        }
    }

    [Fact]
    public void An_assembly_without_the_generated_scopes_class_is_left_alone()
    {
        using var dir = new TempDirectory("mstest-lifecycle-none");
        var path = dir.Copy(TestFiles.DebugInfo);
        var before = File.ReadAllBytes(path);
        var log = new RecordingLog();

        Assert.False(AssemblyFileWeaver.RewriteFile(path, log, new[] { TestFiles.RuntimeDirectory }, null, m => MSTestLifecycleWeaver.Weave(m, log) > 0));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Empty(log.Warnings);
    }
}
