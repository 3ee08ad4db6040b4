using System.IO;
using System.Xml.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Trapweave.Fody.Core;
using Trapweave.Fody.Redirect;

namespace Trapweave.Tests.Weaving;

/// <summary>
/// TRAP014: Redirect patterns that match no member of another assembly the woven assemblies call.
/// On a crafted module calling nested and generic members of another assembly, and on the woven
/// fixtures (whose redirected call sites go through stubs).
/// </summary>
public class RedirectPatternCheckTests
{
    static WeaverConfig Parse(string xml) => WeaverConfig.Parse(XElement.Parse(xml, LoadOptions.SetLineInfo));

    static IReadOnlyList<UnmatchedPattern> Check(string redirect, params ModuleDefinition[] modules) =>
        RedirectPatternCheck.Unmatched(Parse($"<Trapweave Redirect='{redirect}' />"), modules);

    /// <summary>
    /// A module "Caller" whose one method calls Other's <c>Vendor.Clock::Now</c>,
    /// <c>Vendor.Outer+Inner::Poke</c>, <c>Vendor.Cache`1::Get</c> (on <c>Cache&lt;int&gt;</c>) and
    /// <c>Vendor.Cache`1+Entry::Touch</c>, and its own <c>Caller.Own::Work</c>; read back from its
    /// bytes, as the check reads built files.
    /// </summary>
    static ModuleDefinition CraftedCaller()
    {
        using var module = ModuleDefinition.CreateModule("Caller", new ModuleParameters { Kind = ModuleKind.Dll });
        var other = new AssemblyNameReference("Other", new Version(1, 0, 0, 0));
        module.AssemblyReferences.Add(other);
        var voidType = module.TypeSystem.Void;

        var clock = new TypeReference("Vendor", "Clock", module, other);
        var outer = new TypeReference("Vendor", "Outer", module, other);
        var inner = new TypeReference("", "Inner", module, other) { DeclaringType = outer };
        var cache = new TypeReference("Vendor", "Cache`1", module, other);
        cache.GenericParameters.Add(new GenericParameter("T", cache));
        var entry = new TypeReference("", "Entry", module, other) { DeclaringType = cache };
        var cacheOfInt = new GenericInstanceType(cache) { GenericArguments = { module.TypeSystem.Int32 } };

        var own = new TypeDefinition("Caller", "Own", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed, module.TypeSystem.Object);
        module.Types.Add(own);
        var work = new MethodDefinition("Work", MethodAttributes.Public | MethodAttributes.Static, voidType);
        own.Methods.Add(work);
        var il = work.Body.GetILProcessor();
        il.Emit(OpCodes.Call, new MethodReference("Now", voidType, clock));
        il.Emit(OpCodes.Call, new MethodReference("Poke", voidType, inner));
        il.Emit(OpCodes.Call, new MethodReference("Get", voidType, cacheOfInt));
        il.Emit(OpCodes.Call, new MethodReference("Touch", voidType, entry));
        il.Emit(OpCodes.Ret);

        var bytes = new MemoryStream();
        module.Write(bytes);
        bytes.Position = 0;
        return ModuleDefinition.ReadModule(bytes);
    }

    [Theory]
    [InlineData("Vendor.Clock::Now")]
    [InlineData("Vendor.*::*")]
    [InlineData("Vendor.Clock")]
    [InlineData("Vendor.Outer+Inner::Poke")]
    [InlineData("Vendor.Outer/Inner::Poke")]
    [InlineData("Vendor.Cache`1::Get")]
    [InlineData("Vendor.Cache::Get")]
    [InlineData("Vendor.Cache`1+Entry::Touch")]
    [InlineData("Vendor.Cache+Entry::Touch")]
    public void A_pattern_matching_a_called_member_is_not_reported(string pattern)
    {
        using var caller = CraftedCaller();
        Assert.Empty(Check(pattern, caller));
    }

    [Fact]
    public void A_pattern_matching_nothing_called_is_reported_at_the_attribute_with_the_members_of_its_type()
    {
        using var caller = CraftedCaller();
        var config = Parse("<Trapweave Self='false'\n     Redirect='Vendor.Clock::Now;Vendor.Clock::Noww' />");

        var unmatched = Assert.Single(RedirectPatternCheck.Unmatched(config, new[] { caller }));

        Assert.Equal(("Redirect", "Vendor.Clock::Noww", 2, 6), (unmatched.Attribute, unmatched.Pattern, unmatched.Line, unmatched.Column));
        Assert.Equal("TRAP014", RedirectPatternCheck.Code);
        Assert.Equal("Redirect pattern 'Vendor.Clock::Noww' matches no member of another assembly that Caller calls, so it redirects nothing. " +
                     "Fix the pattern (Namespace.Type::Member, * as a wildcard, for example System.IO.File::ReadAllText; nested types with +, as Outer+Inner; " +
                     "generic types with or without arity, as System.Collections.Generic.List`1 or List; members of Vendor.Clock called there: Now) or remove it.",
            unmatched.Message);
    }

    [Fact]
    public void A_pattern_naming_no_called_type_lists_the_namespaces_called()
    {
        using var caller = CraftedCaller();

        var unmatched = Assert.Single(Check("Vendorr.Clock::Now", caller));

        Assert.EndsWith("namespaces called there: Vendor) or remove it.", unmatched.Message);
    }

    [Fact]
    public void A_pattern_whose_types_match_several_called_types_lists_their_members()
    {
        using var caller = CraftedCaller();

        var unmatched = Assert.Single(Check("Vendor.*::Nope", caller));

        // One name per member: Cache`1, not also Cache.
        Assert.EndsWith("members called there of the types it names: Vendor.Cache`1+Entry::Touch, Vendor.Cache`1::Get, Vendor.Clock::Now, Vendor.Outer+Inner::Poke) or remove it.", unmatched.Message);
    }

    [Fact]
    public void A_generic_type_written_without_arity_finds_its_members_for_the_hint()
    {
        using var caller = CraftedCaller();

        var unmatched = Assert.Single(Check("Vendor.Cache::Put", caller));

        Assert.EndsWith("members of Vendor.Cache`1 called there: Get) or remove it.", unmatched.Message);
    }

    [Fact]
    public void A_nested_type_written_with_a_dot_is_reported()
    {
        using var caller = CraftedCaller();

        var unmatched = Assert.Single(Check("Vendor.Outer.Inner::Poke", caller));

        Assert.Contains("nested types with +, as Outer+Inner", unmatched.Message);
    }

    [Fact]
    public void A_pattern_naming_the_woven_assemblys_own_methods_says_those_are_trapped_directly()
    {
        using var caller = CraftedCaller();

        var unmatched = Assert.Single(Check("Caller.Own::Work", caller));

        Assert.Contains("It names methods of Caller, which is woven, so they are trapped directly; Redirect is for members of other assemblies.", unmatched.Message);
    }

    [Fact]
    public void No_redirect_patterns_nothing_reported()
    {
        using var caller = CraftedCaller();
        Assert.Empty(RedirectPatternCheck.Unmatched(Parse("<Trapweave Include='Caller.*' />"), new[] { caller }));
        Assert.Empty(RedirectPatternCheck.Unmatched(Parse("<Trapweave Redirect=' ' />"), new[] { caller }));
    }

    [Fact]
    public void A_pattern_needs_to_match_in_only_one_of_the_assemblies_woven_with_it()
    {
        using var caller = CraftedCaller();
        using var lines = ModuleDefinition.ReadModule(Support.TestFiles.DebugInfo);

        Assert.Empty(Check("Vendor.Clock::Now", lines, caller));
        var unmatched = Assert.Single(Check("Vendor.Clock::Now", lines));
        Assert.StartsWith("Redirect pattern 'Vendor.Clock::Now' matches no member of another assembly that Trapweave.DebugInfo calls,", unmatched.Message);
        Assert.StartsWith("Redirect pattern 'Vendor.Clock::Nope' matches no member of another assembly that Trapweave.DebugInfo, Caller call,",
            Assert.Single(Check("Vendor.Clock::Nope", lines, caller)).Message);
    }

    [Fact]
    public void In_a_woven_assembly_the_members_its_redirected_call_sites_reach_still_count()
    {
        // The fixtures are woven with Redirect="External.*": their call sites go through stubs.
        using var fixtures = ModuleDefinition.ReadModule(typeof(Fixtures.Redirects.RedirectedCalls).Assembly.Location);
        Assert.NotNull(fixtures.GetType("<Trapweave>Redirects"));

        Assert.Empty(Check("External.Library::Add;External.Box`1::Map;External.Box::get_Value;System.DateTime::get_Now", fixtures));
        var unmatched = Assert.Single(Check("External.Library::Addd", fixtures));
        Assert.Contains("members of External.Library called there: ", unmatched.Message);
        Assert.Contains(" Add, ", unmatched.Message);
        // The Trapweave runtime's members are what weaving adds, never something to redirect.
        Assert.Single(Check("Trapweave.*", fixtures));
    }
}

public class RedirectPatternSyntaxTests
{
    [Theory]
    [InlineData("System.IO.File:Exists")]
    [InlineData("System.IO.File::Exists(string)")]
    public void A_malformed_redirect_pattern_is_TRAP004_at_the_attribute_with_an_example_of_another_assemblys_member(string pattern)
    {
        var e = Assert.Throws<ConfigException>(() => WeaverConfig.Parse(XElement.Parse($"<Trapweave Self='false'\n  Redirect='System.DateTime::get_Now;{pattern}' />", LoadOptions.SetLineInfo)));

        Assert.Equal(("TRAP004", 2, 3), (e.Code, e.Line, e.Column));
        Assert.StartsWith($"Bad pattern '{pattern}': ", e.Message);
        Assert.Contains("System.IO.File::ReadAllText", e.Message);
    }
}
