using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Loader;
using Trapweave.Fody.Core;
using Trapweave.Internal;
using Trapweave.Tests.Weaving.Support;

namespace Trapweave.Tests.Runtime;

/// <summary>
/// Generated handlers share collectible dynamic assemblies: one assembly per handler cost several
/// memory mappings each, and a pass-through interceptor on every method of Jint (12,714 of them)
/// ran out of Linux's 65,530 mappings and crashed the process ("Releasing the double mapped memory failed").
/// </summary>
public class HandlerMethodTests
{
    [Fact]
    public void Handlers_touching_the_same_assemblies_share_a_few_collectible_assemblies()
    {
        var handlers = new List<MethodInfo>();
        for (var i = 0; i < 2 * HandlerMethod.HandlersPerAssembly + 10; i++)
        {
            var handler = HandlerMethod.Define("Constant" + i, typeof(int), new[] { typeof(string) }, new[] { typeof(HandlerMethodTests) });
            handler.IL.Emit(OpCodes.Ldc_I4, i);
            handler.IL.Emit(OpCodes.Ret);
            handlers.Add(handler.Create());
        }

        for (var i = 0; i < handlers.Count; i++) Assert.Equal(i, handlers[i].Invoke(null, new object[] { "x" }));
        var assemblies = handlers.Select(h => h.Module.Assembly).Distinct().ToList();
        Assert.InRange(assemblies.Count, 3, 6);
        Assert.All(assemblies, a => Assert.True(a.IsCollectible));
        Assert.All(handlers, h => Assert.NotNull(h.DeclaringType!.GetCustomAttribute<System.Diagnostics.StackTraceHiddenAttribute>()));
    }

    [Fact]
    public void Handlers_touching_other_assemblies_get_assemblies_of_their_own()
    {
        var first = HandlerMethod.Define("First", typeof(int), Type.EmptyTypes, new[] { typeof(HandlerMethodTests) });
        first.IL.Emit(OpCodes.Ldc_I4_1);
        first.IL.Emit(OpCodes.Ret);
        var other = HandlerMethod.Define("Other", typeof(int), Type.EmptyTypes, new[] { typeof(Fixtures.StaticMethods) });
        other.IL.Emit(OpCodes.Ldc_I4_2);
        other.IL.Emit(OpCodes.Ret);
        Assert.NotSame(first.Create().Module.Assembly, other.Create().Module.Assembly);
    }

    [Fact]
    public void An_interceptor_on_code_in_another_load_context_sees_that_contexts_types()
    {
        // LateCaller woven beside its own, newer copy of External (as protobuf-net brings a newer
        // System.Collections.Immutable beside Markdig on .NET 9): its signatures name that copy's
        // types, which the default context (the tests, with External 0.1) cannot even bind by name.
        using var dir = new TempDirectory("own-external");
        var copy = dir.Copy(TestFiles.InOutput("Trapweave.LateCaller.dll"));
        using (var newer = Mono.Cecil.AssemblyDefinition.ReadAssembly(TestFiles.InOutput("Trapweave.External.dll")))
        {
            newer.Name.Version = new Version(99, 0, 0, 0);
            newer.Write(dir["Trapweave.External.dll"]);
        }
        var log = new RecordingLog();
        Assert.Equal(FileWeaveOutcome.Woven, AssemblyFileWeaver.WeaveFile(copy, WeaverConfig.Default, log, new[] { TestFiles.RuntimeDirectory }).Outcome);
        using var context = new IsolatedContext("own-external", dir.Path);
        var signatures = context.LoadCopy(copy).GetType("LateCaller.Signatures", throwOnError: true)!;
        var external = AssemblyLoadContext.GetLoadContext(signatures.Assembly)!.LoadFromAssemblyName(new AssemblyName("Trapweave.External"));
        Assert.Equal(99, external.GetName().Version!.Major);

        var swap = signatures.GetMethod("Swap")!;
        var keep = signatures.GetMethod("Keep")!;
        var pairType = external.GetType("External.Pair", throwOnError: true)!;
        var seen = new List<object>();
        using (Trap.Intercept(swap, null, call => seen.Add(call.Result)))
        using (Trap.Intercept(keep, call => seen.Add(call.Arguments[0])))
        {
            var swapped = swap.Invoke(null, new[] { Activator.CreateInstance(pairType, 1L, 2L) });
            Assert.Equal(2L, pairType.GetField("A")!.GetValue(swapped));
            var store = Activator.CreateInstance(external.GetType("External.Store", throwOnError: true)!, "mine");
            Assert.Same(store, keep.Invoke(null, new[] { store }));
        }
        Assert.Equal(2, seen.Count);
        Assert.Same(pairType, seen[0].GetType());
    }
}
