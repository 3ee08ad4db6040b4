using System.Threading;
using Fixtures.Runtime;
using Trapweave.Testing;

namespace Trapweave.Tests.Runtime;

/// <summary>The entry points the test-framework integrations call (Trapweave.Testing.TestScopes).</summary>
[Collection(ScopingTests.Collection)] // both arm Scoping's flags and read them
public class TestScopesTests
{
    [Fact]
    public async Task A_test_scope_collects_setup_made_in_an_async_hook_and_ends_it_with_the_test()
    {
        var test = TestScopes.Begin("Shop.Tests.Pricing.Discount");
        await InitializeAsync();
        Assert.Equal(11, Scoping.Value());
        Assert.Null(TestScopes.End(test));
        Assert.Equal(0, Scoping.Value());
        Assert.Equal(0, ScopingTests.ArmedFlag(nameof(Scoping.Value)));

        static async Task InitializeAsync()
        {
            await Task.Yield();
            Trap.When(() => Scoping.Value()).Returns(11);
        }
    }

    [Fact]
    public async Task A_class_scope_given_as_parent_reaches_a_test_running_in_an_unrelated_flow()
    {
        var fixture = TestScopes.Begin("Fixture");
        Trap.Patch<Func<int, int>>(Scoping.Echo, x => x + 1000);

        // The framework runs the test on a flow that does not descend from the fixture's.
        Task<int> run;
        using (ExecutionContext.SuppressFlow())
        {
            run = Task.Run(() =>
            {
                var test = TestScopes.Begin("Fixture.Test", fixture);
                Trap.When(() => Scoping.Value()).Returns(4);
                var result = Scoping.Echo(1) + Scoping.Value();
                TestScopes.End(test);
                return result + Scoping.Value();
            });
        }
        var seen = await run;
        Assert.Equal(1001 + 4 + 0, seen);
        Assert.Equal(1001, Scoping.Echo(1));
        TestScopes.End(fixture);
        Assert.Equal(1, Scoping.Echo(1));
    }

    [Fact]
    public async Task Enter_makes_an_open_scope_current_in_another_flow()
    {
        var test = TestScopes.Begin("Test");
        Trap.When(() => Scoping.Value()).Returns(9);
        Task<int> run;
        using (ExecutionContext.SuppressFlow())
        {
            run = Task.Run(() =>
            {
                var before = Scoping.Value();
                TestScopes.Enter(test);
                return before * 100 + Scoping.Value();
            });
        }
        Assert.Equal(9, await run);
        TestScopes.End(test);
    }

    [Fact]
    public void Ending_a_class_scope_ends_the_test_scopes_opened_under_it()
    {
        var fixture = TestScopes.Begin("Fixture");
        var test = TestScopes.Begin("Fixture.Test");
        Trap.When(() => Scoping.Value()).Returns(2);
        TestScopes.End(fixture);
        Assert.Equal(0, Scoping.Value());
        Assert.Null(TestScopes.End(test));
    }

    [Fact]
    public void A_process_wide_registration_left_active_is_ended_and_reported_with_the_test_name()
    {
        var test = TestScopes.Begin("Shop.Tests.Pricing.Leaky");
        Trap.Global.Patch<Func<int, int>>(Scoping.Echo, x => -x);
        using (Trap.Global.When(() => Scoping.Describe(1)).Returns("disposed in time")) { }

        var report = TestScopes.End(test);

        Assert.NotNull(report);
        Assert.Contains("'Shop.Tests.Pricing.Leaky'", report);
        Assert.Contains("Trap.Global.Patch on Scoping.Echo(Int32)", report);
        Assert.DoesNotContain("Describe", report);
        Assert.Equal(1, Scoping.Echo(1));
    }
}
