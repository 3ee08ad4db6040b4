using System.Reflection;
using Fixtures.Redirects;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Trapweave.Fody.Core;
using Trapweave.Fody.Redirect;
using Trapweave.Tests.Redirect.Support;

namespace Trapweave.Tests.Redirect;

/// <summary>
/// Keeps <see cref="DefaultSetCallsTests"/> complete: every entry of <see cref="DefaultRedirects.Entries"/>
/// is named by a test, and that test calls a woven <see cref="DefaultSetCalls"/> method whose
/// redirect stub calls a member the entry's pattern matches (read from the woven IL).
/// </summary>
public class DefaultSetCoverageTests
{
    const string RedirectType = RedirectStubFactory.TypeName;

    /// <summary>The entries a fixture built for this runtime can call: all but those naming members it lacks.</summary>
    static readonly string[] Patterns = DefaultRedirects.Entries.Select(e => e.Pattern)
        .Except(RuntimeLimits.DefaultSetEntriesMissingHere).ToArray();

    [Fact]
    public void Entries_left_out_on_this_runtime_name_members_it_does_not_have()
    {
        foreach (var pattern in RuntimeLimits.DefaultSetEntriesMissingHere)
        {
            Assert.Contains(pattern, DefaultRedirects.Entries.Select(e => e.Pattern));
            var (typeName, member) = (pattern[..pattern.IndexOf("::", StringComparison.Ordinal)], pattern[(pattern.IndexOf("::", StringComparison.Ordinal) + 2)..]);
            var type = typeof(object).Assembly.GetType(typeName, throwOnError: true)!;
            Assert.True(type.GetMember(member, BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance).Length == 0,
                $"{pattern} is left out as missing on {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, yet {typeName} has {member}");
        }
    }

    [Fact]
    public void Every_entry_is_named_by_a_test_and_every_name_is_an_entry()
    {
        var named = CoveringTests().SelectMany(t => t.Patterns).ToHashSet(StringComparer.Ordinal);
        var untested = Patterns.Where(p => !named.Contains(p)).ToList();
        Assert.True(untested.Count == 0, "default-set entries no test covers: " + string.Join(", ", untested));
        var unknown = named.Where(p => !Patterns.Contains(p)).ToList();
        Assert.True(unknown.Count == 0, "[Covers] names that are no default-set entry: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Every_entry_has_a_stub_the_fixture_calls()
    {
        using var fixture = Read(typeof(DefaultSetCalls).Assembly);
        var type = fixture.GetType(typeof(DefaultSetCalls).FullName);
        var members = type.Methods.SelectMany(m => RedirectedMembers(fixture, m)).ToList();
        var missing = Patterns.Where(p => !members.Any(m => Matches(p, m))).ToList();
        Assert.True(missing.Count == 0, "default-set entries the woven fixture has no stub for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_test_reaches_a_member_of_the_entry_it_names()
    {
        using var fixture = Read(typeof(DefaultSetCalls).Assembly);
        using var tests = Read(typeof(DefaultSetCallsTests).Assembly);
        var fixtureMethods = fixture.GetType(typeof(DefaultSetCalls).FullName).Methods.ToDictionary(m => m.FullName, StringComparer.Ordinal);
        var testType = tests.GetType(typeof(DefaultSetCallsTests).FullName);
        var problems = new List<string>();
        foreach (var (test, patterns) in CoveringTests())
        {
            var definition = testType.Methods.Single(m => m.Name == test.Name);
            var reached = Bodies(definition)
                .SelectMany(CalledMethods)
                .Where(called => called.DeclaringType.FullName == typeof(DefaultSetCalls).FullName)
                .Select(called => fixtureMethods[called.GetElementMethod().FullName])
                .Distinct()
                .SelectMany(m => RedirectedMembers(fixture, m))
                .ToList();
            foreach (var pattern in patterns)
                if (!reached.Any(m => Matches(pattern, m)))
                    problems.Add($"{test.Name} names {pattern} but reaches only: {string.Join(", ", reached.Distinct())}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    static IEnumerable<(MethodInfo Test, string[] Patterns)> CoveringTests() =>
        typeof(DefaultSetCallsTests).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Select(m => (m, m.GetCustomAttributes<CoversAttribute>().Select(c => c.Pattern).ToArray()))
            .Where(t => t.Item2.Length > 0);

    static bool Matches(string pattern, string member) => MemberPatterns.Parse(pattern).Matches(member);

    static ModuleDefinition Read(Assembly assembly) =>
        ModuleDefinition.ReadModule(assembly.Location, new ReaderParameters { InMemory = true });

    /// <summary>
    /// <c>Namespace.Type::Member</c> of each member a woven method (with its compiler-generated
    /// bodies) reaches through a redirect stub: the member the stub calls.
    /// </summary>
    static IEnumerable<string> RedirectedMembers(ModuleDefinition fixture, MethodDefinition method)
    {
        var stubs = fixture.GetType(RedirectType)?.Methods.ToDictionary(m => m.FullName, StringComparer.Ordinal)
                    ?? new Dictionary<string, MethodDefinition>();
        foreach (var called in Bodies(method).SelectMany(CalledMethods))
        {
            if (called.DeclaringType.FullName != RedirectType) continue;
            var stub = stubs[called.GetElementMethod().FullName];
            var member = CalledMethods(stub).First(m => m.DeclaringType.FullName != RedirectType && !m.DeclaringType.FullName.StartsWith(RedirectType + "/", StringComparison.Ordinal));
            var declaring = member.DeclaringType.GetElementType();
            var name = declaring.Name;
            var tick = name.IndexOf('`');
            if (tick >= 0) name = name[..tick];
            yield return declaring.Namespace + "." + name + "::" + member.Name;
        }
    }

    /// <summary>A method and the compiler-generated code written inside it: its state machine, lambdas and local functions.</summary>
    static IEnumerable<MethodDefinition> Bodies(MethodDefinition method)
    {
        var prefix = "<" + method.Name + ">";
        yield return method;
        foreach (var nested in AllNested(method.DeclaringType))
        {
            var ownedType = nested.Name.StartsWith(prefix, StringComparison.Ordinal);
            foreach (var m in nested.Methods)
                if (ownedType || m.Name.StartsWith(prefix, StringComparison.Ordinal)) yield return m;
        }
        foreach (var m in method.DeclaringType.Methods)
            if (m.Name.StartsWith(prefix, StringComparison.Ordinal)) yield return m;
    }

    static IEnumerable<TypeDefinition> AllNested(TypeDefinition type) =>
        type.NestedTypes.SelectMany(n => new[] { n }.Concat(AllNested(n)));

    static IEnumerable<MethodReference> CalledMethods(MethodDefinition method) =>
        method.HasBody
            ? method.Body.Instructions
                .Where(i => i.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj or Code.Ldftn or Code.Ldvirtftn)
                .Select(i => (MethodReference)i.Operand)
            : Enumerable.Empty<MethodReference>();
}
