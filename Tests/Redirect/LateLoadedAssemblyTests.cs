extern alias Optimized;

using System.IO;
using System.Reflection;
using System.Xml.Linq;
using External;
using Fixtures.Redirects;
using Trapweave.Fody.Core;
using Trapweave.Tests.Weaving.Support;
using OptimizedClockReader = Optimized::Fixtures.Redirects.ClockReader;

namespace Trapweave.Tests.Redirect;

/// <summary>
/// One registration on a redirected member reaches every woven assembly that calls it: the Fixtures
/// and Fixtures.Optimized builds, and a woven copy of LateCaller loaded (into a load context of its
/// own) only after the registration was made. Disposing it disarms them all.
/// </summary>
public class LateLoadedAssemblyTests
{
    static readonly DateTime Frozen = new(2003, 4, 5, 6, 7, 8);

    [Fact]
    public void A_second_woven_assembly_sees_the_same_registration()
    {
        using (Trap.When(() => DateTime.Now).Returns(Frozen))
        {
            Assert.Equal(Frozen, ClockReader.Now());
            Assert.Equal(Frozen, OptimizedClockReader.Now());
        }
        Assert.NotEqual(Frozen, ClockReader.Now());
        Assert.NotEqual(Frozen, OptimizedClockReader.Now());
    }

    [Fact]
    public async Task A_framework_member_arranged_before_the_assembly_loads()
    {
        using var dir = new TempDirectory("late-clock");
        var path = WovenLateCaller(dir);

        var registration = Trap.When(() => DateTime.Now).Returns(Frozen);
        try
        {
            using var context = new IsolatedContext("late-clock", dir.Path);
            var calls = LoadCalls(context, path);
            var now = Method<Func<DateTime>>(calls, "Now");
            var nowAfterYield = Method<Func<Task<DateTime>>>(calls, "NowAfterYield");

            Assert.Equal(Frozen, now());
            Assert.Equal(Frozen, await nowAfterYield());
            Assert.Equal(Frozen, await Task.Run(now));
            // The assemblies loaded before still see the same registration.
            Assert.Equal(Frozen, ClockReader.Now());

            registration.Dispose();
            Assert.NotEqual(Frozen, now());
            Assert.NotEqual(Frozen, await nowAfterYield());
            Assert.NotEqual(Frozen, ClockReader.Now());
        }
        finally
        {
            registration.Dispose();
        }
    }

    [Fact]
    public void A_library_member_arranged_before_the_assembly_loads()
    {
        using var dir = new TempDirectory("late-library");
        var path = WovenLateCaller(dir);

        var registration = Trap.When(() => Library.Add(40, 2)).Returns(-42);
        try
        {
            using var context = new IsolatedContext("late-library", dir.Path);
            var add = Method<Func<int, int, int>>(LoadCalls(context, path), "Add");

            Assert.Equal(-42, add(40, 2));
            Assert.Equal(5, add(2, 3));
            Assert.Equal(-42, RedirectedCalls.StaticCall(40, 2));

            registration.Dispose();
            Assert.Equal(42, add(40, 2));
            Assert.Equal(42, RedirectedCalls.StaticCall(40, 2));
        }
        finally
        {
            registration.Dispose();
        }
    }

    /// <summary>
    /// A woven copy of LateCaller in <paramref name="dir"/>, alone: External and Trapweave resolve from
    /// the default context, so the copy calls the very members the registrations are on.
    /// </summary>
    static string WovenLateCaller(TempDirectory dir)
    {
        var copy = dir.Copy(TestFiles.InOutput("Trapweave.LateCaller.dll"));
        var config = WeaverConfig.Parse(XElement.Parse("""<Trapweave Redirect="External.*" />"""));
        var log = new RecordingLog();
        var result = AssemblyFileWeaver.WeaveFile(copy, config, log, new[] { TestFiles.OutputDirectory, TestFiles.RuntimeDirectory });
        Assert.Equal(FileWeaveOutcome.Woven, result.Outcome);
        Assert.Empty(log.Errors);
        return copy;
    }

    static Type LoadCalls(IsolatedContext context, string path)
    {
        var assembly = context.LoadCopy(path);
        // The copy calls the redirected members through stubs of its own...
        Assert.NotNull(assembly.ManifestModule.GetType("<Trapweave>Redirects+Armed", throwOnError: false, ignoreCase: false));
        // ...of the very External the registrations are on.
        Assert.Same(typeof(Library).Assembly, AssemblyOf(assembly, "Trapweave.External"));
        return assembly.GetType("LateCaller.Calls", throwOnError: true)!;
    }

    static Assembly AssemblyOf(Assembly caller, string referenceName)
    {
        var reference = caller.GetReferencedAssemblies().Single(r => r.Name == referenceName);
        return System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(caller)!.LoadFromAssemblyName(reference);
    }

    static T Method<T>(Type type, string name) where T : Delegate => type.GetMethod(name)!.CreateDelegate<T>();
}
