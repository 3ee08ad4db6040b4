using System.Xml.Linq;
using Trapweave.Fody.Core;

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
        Assert.Equal(new[] { "System.DateTime::get_Now" }, config.Redirect);
        Assert.True(config.Selects("MyApp.Orders::Place"));
        Assert.False(config.Selects("Other.Orders::Place"));
        Assert.False(config.Selects("MyApp.Generated::X"));
        Assert.False(config.Selects("MyApp.Hot::Loop"));
        Assert.True(config.Selects("MyApp.Hot::Other"));
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
    [InlineData("<Trapweave Include='A:B' />", "Bad pattern 'A:B'")]
    [InlineData("<Trapweave Exclude='A(B)' />", "Bad pattern 'A(B)'")]
    [InlineData("<Trapweave><Child /></Trapweave>", "Unexpected element <Child>")]
    public void Bad_values_fail_with_the_attribute_and_the_fix(string xml, string message)
    {
        var e = Assert.Throws<ConfigException>(() => Parse("\n" + xml));
        Assert.Contains(message, e.Message);
        Assert.Equal(2, e.Line);
    }
}
