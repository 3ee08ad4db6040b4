using System.IO;
using System.Reflection;
using System.Threading;
using System.Xml.Linq;
using Trapweave.Fody.Core;
using Trapweave.Tests.Weaving.Support;
using Xunit.Abstractions;

namespace Trapweave.Tests.Weaving;

/// <summary>
/// Newtonsoft.Json woven with every call to .NET redirected (<c>Redirect="System.*"</c>): thousands of
/// real call sites of every kind (generic, constrained, virtual, constructors, method groups) through stubs.
/// </summary>
public sealed class NewtonsoftRedirectingAll : NewtonsoftCopies
{
    public NewtonsoftRedirectingAll() : base("newtonsoft-redirect-all", WeaverConfig.Parse(XElement.Parse("<Trapweave Redirect=\"System.*\" />"))) { }
}

public class NewtonsoftRedirectAllTests : IClassFixture<NewtonsoftRedirectingAll>
{
    readonly NewtonsoftRedirectingAll _newtonsoft;
    readonly ITestOutputHelper _output;

    public NewtonsoftRedirectAllTests(NewtonsoftRedirectingAll newtonsoft, ITestOutputHelper output)
    {
        _newtonsoft = newtonsoft;
        _output = output;
    }

    [Fact]
    public void Every_method_and_stub_compiles()
    {
        var result = _newtonsoft.Result;
        _output.WriteLine(result.ToString());
        foreach (var warning in _newtonsoft.Log.Warnings.Take(20)) _output.WriteLine("warning: " + warning);
        Assert.Empty(_newtonsoft.Log.Errors);
        Assert.InRange(result.RedirectedCallSites, 5_000, 1_000_000);

        var woven = MethodPreparer.PrepareAll(_newtonsoft.Woven.Assembly);
        var plain = MethodPreparer.PrepareAll(_newtonsoft.Plain.Assembly);
        foreach (var failure in woven.Failures.Take(20)) _output.WriteLine("woven failure: " + failure);
        Assert.Equal(0, woven.InvalidProgram);
        Assert.Equal(plain.Failures, woven.Failures);
        Assert.Equal(plain.Prepared + 2 * result.RedirectedMembers + MethodPreparer.Dispatchers(_newtonsoft.Woven.Assembly), woven.Prepared);
    }

    [Fact]
    public void The_workload_gives_the_same_output()
    {
        var plain = JsonWorkload.Run(_newtonsoft.Plain);
        var woven = JsonWorkload.Run(_newtonsoft.Woven);
        Assert.Equal(plain, woven);
    }

    [Fact]
    public void The_workload_gives_the_same_output_with_a_pass_through_interceptor_on_every_redirected_member()
    {
        var expected = JsonWorkload.Run(_newtonsoft.Plain);
        var members = RedirectedMembersOf(_newtonsoft.Woven.Assembly);
        var registrations = new List<IDisposable>();
        var refused = new List<string>();
        var calls = 0;
        try
        {
            foreach (var member in members)
            {
                try { registrations.Add(Trap.Intercept(member, _ => Interlocked.Increment(ref calls))); }
                catch (TrapException e) { refused.Add(e.Message); }
            }
            _output.WriteLine($"{registrations.Count} members intercepted, {refused.Count} refused");
            foreach (var reason in refused.Take(10)) _output.WriteLine("refused: " + reason);
            Assert.True(registrations.Count > 300, $"only {registrations.Count} members intercepted");

            var woven = JsonWorkload.Run(_newtonsoft.Woven);
            Assert.Equal(expected, woven);
            Assert.True(calls > 1000, $"only {calls} intercepted calls");
        }
        finally
        {
            foreach (var registration in registrations) registration.Dispose();
        }
    }

    /// <summary>The non-generic members the woven copy's stubs call (generic ones need an instantiation per registration).</summary>
    static List<MethodBase> RedirectedMembersOf(Assembly woven)
    {
        var armed = woven.GetType("<Trapweave>Redirects+Armed", throwOnError: true)!;
        var members = new List<MethodBase>();
        foreach (var stub in armed.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
        {
            if (stub.IsGenericMethodDefinition) continue;
            var called = Trapweave.Internal.IlScanner.CalledMethods(stub).FirstOrDefault(m => m.DeclaringType != typeof(TrapDispatch));
            if (called is null || called.DeclaringType!.IsAbstract && called.IsAbstract) continue;
            if (!members.Contains(called)) members.Add(called);
        }
        return members;
    }
}
