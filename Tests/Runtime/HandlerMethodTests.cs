using System.Reflection;
using System.Reflection.Emit;
using Trapweave.Internal;

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
}
