using System.Reflection;
using System.Xml.Linq;
using External;
using Mono.Cecil;
using Trapweave.Fody.Core;
using Trapweave.Fody.Redirect;

namespace Trapweave.Tests.Redirect;

/// <summary>
/// Registering on a member that is neither woven nor reached by a redirected call site in the
/// loaded woven assemblies: the TrapException names the member and the fix. For .NET's own members
/// that is Redirect, never weaving the framework; for a library's, weaving it or Redirect. The
/// Redirect pattern each message suggests is one the weaver redirects the member for. These messages
/// are what registration says with the native fallback off (or for members it cannot patch): each
/// test runs with it off, except the last, which shows the same registration accepted with it on.
/// </summary>
[Collection(NotInParallel.Name)]
public class NotRedirectedTests : IDisposable
{
    // These run with the native fallback off (NativeFallbackOff), and the message says so.
    const string NativeOff = " It is not patched natively either (which would reach calls from code nobody wove): the native fallback is turned off (TRAPWEAVE_NATIVE=0 or Trap.NativeFallback = false).";

    readonly Native.NativeFallbackOff _fallbackOff = new();

    public void Dispose() => _fallbackOff.Dispose();

    static readonly MethodInfo ProcessorCount = typeof(Environment).GetProperty(nameof(Environment.ProcessorCount))!.GetMethod!;
    // A member no woven assembly of this test process calls (NewtonsoftRedirectAllTests redirects everything Newtonsoft.Json calls).
    static readonly MethodInfo CbrtOf = typeof(Math).GetMethod(nameof(Math.Cbrt), new[] { typeof(double) })!;

    static void AssertNeverSuggestsWeavingTheFramework(string message)
    {
        // "weaves the calling code" and "never woven" are fine; "weave X" (the imperative) is not.
        Assert.DoesNotMatch(@"(?i)\bweave\b", message);
        Assert.DoesNotContain("<Trapweave />", message);
        Assert.DoesNotContain("References=\"System", message);
    }

    [Fact]
    public void A_framework_property_says_it_is_part_of_dotnet_and_to_add_it_to_Redirect()
    {
        var e = Assert.Throws<TrapException>(() => Trap.When(() => Environment.ProcessorCount).Returns(64));

        Assert.Equal(
            "Cannot intercept Environment.get_ProcessorCount(): it is part of .NET (System.Private.CoreLib), which is never woven, " +
            "and no call to it in the woven assemblies loaded in this process is redirected. " +
            "To intercept the calls woven code makes to it, add Redirect=\"System.Environment::get_ProcessorCount\" (it matches every overload) " +
            "to the <Trapweave> element of the FodyWeavers.xml that weaves the calling code (in a test project, the one with References=\"...\"), and rebuild. " +
            "Calls from code that is not woven, such as the test assembly itself, cannot be intercepted. " +
            "If Redirect (or the default set) names it already, no woven assembly loaded or referenced here calls it." + NativeOff,
            e.Message);
        AssertNeverSuggestsWeavingTheFramework(e.Message);
    }

    [Fact]
    public void A_framework_method_gets_the_same_advice_from_every_registration()
    {
        var messages = new[]
        {
            Assert.Throws<TrapException>(() => Trap.Patch(CbrtOf, new Func<double, double>(x => x))).Message,
            Assert.Throws<TrapException>(() => Trap.Record(CbrtOf)).Message,
            Assert.Throws<TrapException>(() => Trap.Intercept(CbrtOf, before: _ => { })).Message,
            Assert.Throws<TrapException>(() => Trap.When(() => Math.Cbrt(8.0)).Returns(1.0)).Message,
        };

        foreach (var message in messages)
        {
            Assert.StartsWith("Cannot intercept Math.Cbrt(Double): it is part of .NET (System.Private.CoreLib), which is never woven,", message);
            Assert.Contains("add Redirect=\"System.Math::Cbrt\" (it matches every overload)", message);
            Assert.Contains("Calls from code that is not woven, such as the test assembly itself, cannot be intercepted.", message);
            AssertNeverSuggestsWeavingTheFramework(message);
        }
    }

    [Fact]
    public void A_library_member_no_woven_code_calls_suggests_weaving_its_assembly_or_Redirect()
    {
        var e = Assert.Throws<TrapException>(() => Trap.Patch<Func<int>>(Uncalled.Value, () => 2));

        Assert.Equal(
            "Cannot intercept Uncalled.Value(): Trapweave.External is not woven, and no call to it in the woven assemblies loaded in this process is redirected. " +
            "Either weave Trapweave.External (<Trapweave /> in its project's FodyWeavers.xml, or <Trapweave References=\"Trapweave.External\" Self=\"false\" /> in a test project; " +
            "Include/Exclude must select 'External.Uncalled::Value'), which intercepts every call to it; " +
            "or, to intercept the calls woven code makes to it, add Redirect=\"External.Uncalled::Value\" (it matches every overload) " +
            "to the <Trapweave> element of the FodyWeavers.xml that weaves the calling code (in a test project, the one with References=\"...\"), and rebuild. " +
            "Redirect reaches only calls from woven code: calls from code that is not woven, such as the test assembly itself, are not intercepted that way. " +
            "If Redirect (or the default set) names it already, no woven assembly loaded or referenced here calls it." + NativeOff,
            e.Message);
        // Still nothing registered: the real member runs.
        Assert.Equal(1, Uncalled.Value());
    }

    [Fact]
    public void A_member_of_a_nested_generic_type_is_named_as_patterns_write_it()
    {
        var e = Assert.Throws<TrapException>(() => Trap.Patch<Func<int, int>>(Uncalled.Nested<int>.Echo, x => x));

        Assert.StartsWith("Cannot intercept Uncalled.Nested<Int32>.Echo(Int32): Trapweave.External is not woven", e.Message);
        Assert.Contains("Include/Exclude must select 'External.Uncalled+Nested::Echo'", e.Message);
        Assert.Contains("add Redirect=\"External.Uncalled+Nested::Echo\"", e.Message);
    }

    [Fact]
    public void A_method_a_woven_assembly_leaves_out_is_told_to_fix_Include_Exclude()
    {
        var e = Assert.Throws<TrapException>(() => Trap.Patch<Func<int>>(new Fixtures.ExcludedService().Method, () => 2));

        Assert.Equal("Cannot intercept ExcludedService.Method(): Trapweave.Fixtures is woven, but Include/Exclude in the FodyWeavers.xml that weaves it leave this method out. " +
                     "Make them select 'Fixtures.ExcludedService::Method' and rebuild.", e.Message);
    }

    [Fact]
    public void With_the_native_fallback_on_the_same_registrations_intercept_the_test_assembly_s_own_calls()
    {
        _fallbackOff.Dispose();
        var real = Environment.ProcessorCount;
        using (Trap.When(() => Environment.ProcessorCount).Returns(real + 64))
            Assert.Equal(real + 64, ReadProcessorCount());
        Assert.Equal(real, ReadProcessorCount());
        using (Trap.Patch<Func<int>>(Uncalled.Value, () => 2))
            Assert.Equal(2, ReadValue());
        Assert.Equal(1, ReadValue());
    }

    // Compiled at first call, after the patch: callers compiled before it may have inlined the member.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    static int ReadProcessorCount() => Environment.ProcessorCount;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    static int ReadValue() => Uncalled.Value();

    public static TheoryData<string, string, string> Suggested => new()
    {
        // where the member is defined (a type of that assembly), type, member
        { typeof(object).Assembly.Location, "System.Environment", "get_ProcessorCount" },
        { typeof(object).Assembly.Location, "System.Math", "Abs" },
        { typeof(Uncalled).Assembly.Location, "External.Uncalled", "Value" },
        { typeof(Uncalled).Assembly.Location, "External.Uncalled/Nested`1", "Echo" },
    };

    /// <summary>The pattern a message suggests is one the weaver redirects the member's call sites for.</summary>
    [Theory]
    [MemberData(nameof(Suggested))]
    public void The_suggested_pattern_makes_the_weaver_redirect_the_member(string assemblyPath, string typeName, string memberName)
    {
        var type = typeName.Split('/') is var parts && parts.Length == 2
            ? Type.GetType($"{parts[0]}+{parts[1]}, {AssemblyName.GetAssemblyName(assemblyPath).FullName}")!.MakeGenericType(typeof(int))
            : Type.GetType($"{typeName}, {AssemblyName.GetAssemblyName(assemblyPath).FullName}")!;
        var member = type.GetMember(memberName, BindingFlags.Public | BindingFlags.Static).OfType<MethodInfo>().First();
        var message = Assert.Throws<TrapException>(() => Trap.Record(member)).Message;
        var pattern = message.Split("Redirect=\"")[1].Split('"')[0];

        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var definition = module.GetType(typeName).Methods.First(m => m.Name == memberName);
        var reference = definition.DeclaringType.HasGenericParameters
            ? new MethodReference(definition.Name, definition.ReturnType, new GenericInstanceType(definition.DeclaringType) { GenericArguments = { module.TypeSystem.Int32 } }) { HasThis = definition.HasThis }
            : (MethodReference)definition;
        var only = WeaverConfig.Parse(XElement.Parse($"<Trapweave DefaultRedirects='false' Redirect='{pattern}' />"));
        var other = WeaverConfig.Parse(XElement.Parse("<Trapweave DefaultRedirects='false' Redirect='Some.Other::Member' />"));

        Assert.True(new RedirectSet(only).Redirects(reference), $"{pattern} does not redirect {typeName}::{memberName}");
        Assert.False(new RedirectSet(other).Redirects(reference));
    }
}
