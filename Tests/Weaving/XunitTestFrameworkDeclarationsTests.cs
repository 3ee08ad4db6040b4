using Trapweave.Tasks;

namespace Trapweave.Tests.Weaving;

/// <summary>
/// How TRAP020 finds a project's own xunit <c>[assembly: TestFramework]</c> in its sources
/// (Weaver.Tasks/XunitTestFrameworkDeclarations.cs, compiled into the tests); the end-to-end tests
/// drive it through a real build.
/// </summary>
public class XunitTestFrameworkDeclarationsTests
{
    [Theory]
    [InlineData("[assembly: TestFramework(\"My.Framework\", \"My\")]", "TestFramework", 1, 12)]
    [InlineData("using Xunit;\n\n[assembly: Xunit.TestFramework(typeof(My.Framework))]", "Xunit.TestFramework", 3, 12)]
    [InlineData("using Xunit;\r\n  [ assembly : global::Xunit.TestFrameworkAttribute(\"A\", \"B\")]", "global::Xunit.TestFrameworkAttribute", 2, 16)]
    [InlineData("[assembly: CollectionBehavior(DisableTestParallelization = true), TestFramework(\"A\", \"B\")]", "TestFramework", 1, 67)]
    public void Finds_the_declaration_at_its_line_and_column(string source, string name, int line, int column)
    {
        Assert.Equal(new[] { (name, line, column) }, XunitTestFrameworkDeclarations.Find(source));
    }

    [Theory]
    [InlineData("// [assembly: TestFramework(\"My.Framework\", \"My\")]")]
    [InlineData("[assembly: TestFrameworkExtras(\"x\")]")]
    [InlineData("[assembly: CollectionBehavior(MaxParallelThreads = 4)]")]
    [InlineData("public class TestFrameworkTests { }")]
    [InlineData("[TestFramework(\"A\", \"B\")] class NotAssemblyLevel { }")]
    public void Ignores_what_is_not_an_assembly_level_TestFramework(string source)
    {
        Assert.Empty(XunitTestFrameworkDeclarations.Find(source));
    }
}
