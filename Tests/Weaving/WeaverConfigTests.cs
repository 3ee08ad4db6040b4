using System.IO;
using System.Xml.Linq;
using Mono.Cecil;
using Trapweave.Fody.Core;
using Trapweave.Tests.Weaving.Support;

namespace Trapweave.Tests.Weaving;

public class WeaverConfigTests
{
    static WeaverConfig Parse(string xml) => WeaverConfig.Parse(XElement.Parse(xml, LoadOptions.SetLineInfo));

    [Fact]
    public void Defaults_weave_everything_in_the_own_assembly()
    {
        var config = Parse("<Trapweave />");
        Assert.True(config.Self);
        Assert.Empty(config.References);
        Assert.True(config.Selects("Any.Type::Method"));
    }

    [Fact]
    public void Attributes_are_read()
    {
        var config = Parse("<Trapweave References=' MyApp ; MyApp.Core ' Self='false' Include='MyApp.*' Exclude='MyApp.Gen*;MyApp.Hot::Loop' Redirect='System.DateTime::get_Now' />");
        Assert.Equal(new[] { "MyApp", "MyApp.Core" }, config.References);
        Assert.False(config.Self);
        Assert.Equal(new[] { "System.DateTime::get_Now" }, config.Redirect.Parts);
        Assert.True(config.Selects("MyApp.Orders::Place"));
        Assert.False(config.Selects("Other.Orders::Place"));
        Assert.False(config.Selects("MyApp.Generated::X"));
        Assert.False(config.Selects("MyApp.Hot::Loop"));
        Assert.True(config.Selects("MyApp.Hot::Other"));
    }

    [Fact]
    public void TraceFromEnvironment_is_off_unless_written()
    {
        Assert.False(Parse("<Trapweave />").TraceFromEnvironment);
        Assert.True(Parse("<Trapweave TraceFromEnvironment=' true ' />").TraceFromEnvironment);
        Assert.False(Parse("<Trapweave TraceFromEnvironment='false' />").TraceFromEnvironment);
    }

    [Theory]
    [InlineData("Outer/Inner::M", "Outer+Inner::M", true)]
    [InlineData("Ns.Type", "Ns.Type::Any", true)]
    [InlineData("Ns.Type", "Ns.TypeOther::Any", false)]
    [InlineData("*::get_*", "A.B::get_Name", true)]
    [InlineData("*::get_*", "A.B::set_Name", false)]
    public void Patterns_match_members(string pattern, string member, bool expected) =>
        Assert.Equal(expected, MemberPatterns.Parse(pattern).Matches(member));

    [Theory]
    [InlineData("<Trapweave Refs='x' />", "Unknown attribute 'Refs'")]
    [InlineData("<Trapweave Self='yes' />", "Could not parse Self from 'yes'")]
    [InlineData("<Trapweave TraceFromEnvironment='on' />", "Could not parse TraceFromEnvironment from 'on'. Use TraceFromEnvironment=\"true\"")]
    [InlineData("<Trapweave Include='A:B' />", "Bad pattern 'A:B'")]
    [InlineData("<Trapweave Exclude='A(B)' />", "Bad pattern 'A(B)'")]
    [InlineData("<Trapweave><Child /></Trapweave>", "Unexpected element <Child>")]
    public void Bad_values_fail_with_the_attribute_and_the_fix(string xml, string message)
    {
        var e = Assert.Throws<ConfigException>(() => Parse("\n" + xml));
        Assert.Contains(message, e.Message);
        Assert.Equal(2, e.Line);
    }

    [Theory]
    [InlineData("TrapWeave")]
    [InlineData("trapweave")]
    [InlineData("TRAPWEAVE")]
    public void A_wrong_case_element_fails_naming_the_right_spelling_at_its_line(string element)
    {
        using var dir = new TempDirectory("config");
        var path = Path.Combine(dir.Path, "FodyWeavers.xml");
        File.WriteAllText(path, $"<Weavers>\n  <{element} Self=\"false\" />\n</Weavers>\n");

        var e = Assert.Throws<ConfigException>(() => WeaverConfigFile.Load(path));

        Assert.Equal(ConfigException.WrongCase, e.Code);
        Assert.Equal("TRAP011", e.Code);
        Assert.Equal((2, 4), (e.Line, e.Column));
        Assert.Equal($"<{element}> must be written <Trapweave>: Fody matches weaver names case-sensitively and finds no weaver for <{element}>. Rename the element to <Trapweave>.", e.Message);
    }

    [Fact]
    public void The_right_spelling_loads_and_other_weavers_are_listed()
    {
        var xml = "<Weavers>\n  <Costura />\n  <Trapweave Self='false' />\n</Weavers>";
        Assert.False(WeaverConfigFile.Load(null, xml)!.Self);
        Assert.Equal(new[] { "Costura", "Trapweave" }, WeaverConfigFile.WeaverNames(null, xml));
    }

    [Fact]
    public void Pattern_attributes_keep_their_parts_and_positions()
    {
        var config = Parse("\n<Trapweave\n  Include=' A.* ; B::M '\n  Exclude='C' />");
        Assert.Equal(new[] { "A.*", "B::M" }, config.Include.Parts);
        Assert.Equal((3, 3), config.IncludeLocation);
        Assert.Equal((4, 3), config.ExcludeLocation);
        Assert.Equal((2, 2), config.ElementLocation);
        Assert.True(config.HasPatterns);
        Assert.False(Parse("<Trapweave />").HasPatterns);
        Assert.False(Parse("<Trapweave />").SelfIsExplicit);
        Assert.True(Parse("<Trapweave Self='true' />").SelfIsExplicit);
    }

    [Fact]
    public void Patterns_that_match_no_method_are_reported_each_with_its_attribute_position()
    {
        using var module = ModuleDefinition.ReadModule(TestFiles.DebugInfo);
        var config = Parse("\n<Trapweave Include='DebugInfo.Lines::First*;DebugInfo.Liness'\n            Exclude='DebugInfo.Lines::Nope;DebugInfo.Lines::Throws' />");

        var unmatched = PatternCheck.Unmatched(config, new[] { module });

        Assert.Equal(new[] { ("Include", "DebugInfo.Liness", 2, 12), ("Exclude", "DebugInfo.Lines::Nope", 3, 13) },
            unmatched.Select(u => (u.Attribute, u.Pattern, u.Line, u.Column)));
        Assert.Equal("Include pattern 'DebugInfo.Liness' matches no method in Trapweave.DebugInfo, so it adds nothing. " +
                     "Fix the pattern (Namespace.Type::Method, * as a wildcard; namespaces there: DebugInfo) or remove it.", unmatched[0].Message);
        Assert.Contains("so it leaves nothing out", unmatched[1].Message);
    }

    [Fact]
    public void An_include_that_matches_nothing_says_nothing_is_trapped_and_the_defaults_are_never_reported()
    {
        using var module = ModuleDefinition.ReadModule(TestFiles.DebugInfo);

        var unmatched = Assert.Single(PatternCheck.Unmatched(Parse("<Trapweave Include='DebugInf.*' />"), new[] { module }));
        Assert.Contains("so nothing is trapped", unmatched.Message);
        Assert.Empty(PatternCheck.Unmatched(Parse("<Trapweave />"), new[] { module }));
        var empty = Assert.Single(PatternCheck.Unmatched(Parse("<Trapweave Include=' ' />"), new[] { module }));
        Assert.Equal("Include is empty, so nothing is trapped in Trapweave.DebugInfo. List patterns (Namespace.Type::Method, * as a wildcard), or remove Include to trap every method.", empty.Message);
    }

    [Fact]
    public void A_pattern_needs_to_match_in_only_one_of_the_assemblies_woven_with_it()
    {
        using var lines = ModuleDefinition.ReadModule(TestFiles.DebugInfo);
        using var runtime = ModuleDefinition.ReadModule(typeof(Trap).Assembly.Location);
        var config = Parse("<Trapweave Include='DebugInfo.*' />");

        Assert.Empty(PatternCheck.Unmatched(config, new[] { runtime, lines }));
        Assert.Single(PatternCheck.Unmatched(config, new[] { runtime }));
    }
}
