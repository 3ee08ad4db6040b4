using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Mono.Cecil;
using Benchmarks.Targets;
using Trapweave;
using Trapweave.Fody.Core;

namespace Benchmarks;

/// <summary>The path of Newtonsoft.Json.dll in its NuGet package, recorded at build time.</summary>
[NoTrap]
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class NewtonsoftJsonPathAttribute : Attribute
{
    public NewtonsoftJsonPathAttribute(string path) => Path = path;
    public string Path { get; }
}

/// <summary>
/// Weave time for Newtonsoft.Json 13.0.3 (lib/net6.0), with the default redirect set (what a user
/// gets) and without it (<c>DefaultRedirects="false"</c>), as a ratio to reading and writing the same
/// module unwoven. The setup prints the output sizes and what was woven. The input is held in memory and the output goes to a MemoryStream, so no disk I/O
/// is measured; one resolver (like Fody's) is shared by all iterations.
/// </summary>
[NoTrap]
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 30)]
public class WeaveBenchmarks
{
    byte[] _input;
    DefaultAssemblyResolver _resolver;

    [GlobalSetup]
    public void Setup()
    {
        var path = typeof(WeaveBenchmarks).Assembly.GetCustomAttribute<NewtonsoftJsonPathAttribute>()!.Path;
        if (!File.Exists(path)) path = Path.Combine(AppContext.BaseDirectory, "Newtonsoft.Json.dll");
        _input = File.ReadAllBytes(path);

        _resolver = new DefaultAssemblyResolver();
        _resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(Trap).Assembly.Location)!); // Trapweave.dll
        _resolver.AddSearchDirectory(RuntimeEnvironment.GetRuntimeDirectory());

        // Sanity: the woven output is a valid module with a trap table and most methods trapped;
        // with the default set, redirect stubs too; without it, none.
        var plain = ReadWrite();
        var withDefaults = CheckWoven(WeaverConfig.Default, expectStubs: true);
        var withoutDefaults = CheckWoven(NoDefaultRedirects, expectStubs: false);
        Console.WriteLine($"// Newtonsoft.Json.dll from {path}: {_input.Length:N0} bytes in, {plain:N0} bytes read + written unwoven");
        Console.WriteLine($"// woven, default set on:  {withDefaults}");
        Console.WriteLine($"// woven, DefaultRedirects=\"false\": {withoutDefaults}");
    }

    static readonly WeaverConfig NoDefaultRedirects = WeaverConfig.Parse(System.Xml.Linq.XElement.Parse("<Trapweave DefaultRedirects=\"false\" />"));

    string CheckWoven(WeaverConfig config, bool expectStubs)
    {
        var weaver = new TrapWeaver(config, NullLog.Instance);
        byte[] woven;
        using (var module = Read())
        {
            Probe.Check(weaver.Weave(module), "Newtonsoft.Json gets woven");
            woven = Write(module).ToArray();
        }
        using (var reread = ModuleDefinition.ReadModule(new MemoryStream(woven)))
        {
            Probe.Check(reread.Types.Any(t => t.FullName == Probe.TrapTable), "the woven module has a trap table");
            Probe.Check(reread.AssemblyReferences.Any(r => r.Name == "Trapweave"), "the woven module references Trapweave");
            Probe.Check(reread.Types.Any(t => t.FullName == Probe.Redirects) == expectStubs, expectStubs ? "the default set adds redirect stubs" : "no redirect stubs without the default set");
        }
        return $"{woven.Length:N0} bytes ({(double)woven.Length / _input.Length:0.00}x), {weaver.TrappedCount:N0} methods trapped, " +
               $"{weaver.RedirectedCallSites:N0} call sites redirected to {weaver.RedirectedMembers:N0} stubs";
    }

    [GlobalCleanup]
    public void Cleanup() => _resolver.Dispose();

    [Benchmark(Baseline = true, Description = "4. read + write Newtonsoft.Json (unwoven)")]
    public long ReadWrite()
    {
        using var module = Read();
        return Write(module).Length;
    }

    [Benchmark(Description = "4. read + weave + write Newtonsoft.Json (default redirect set on)")]
    public long ReadWeaveWrite()
    {
        using var module = Read();
        new TrapWeaver(WeaverConfig.Default, NullLog.Instance).Weave(module);
        return Write(module).Length;
    }

    [Benchmark(Description = "4n. read + weave + write Newtonsoft.Json, DefaultRedirects=\"false\"")]
    public long ReadWeaveWriteNoDefaultRedirects()
    {
        using var module = Read();
        new TrapWeaver(NoDefaultRedirects, NullLog.Instance).Weave(module);
        return Write(module).Length;
    }

    ModuleDefinition Read() =>
        ModuleDefinition.ReadModule(new MemoryStream(_input, writable: false), new ReaderParameters { AssemblyResolver = _resolver });

    static MemoryStream Write(ModuleDefinition module)
    {
        var output = new MemoryStream();
        module.Write(output);
        return output;
    }

    [NoTrap]
    sealed class NullLog : IWeaverLog
    {
        public static readonly NullLog Instance = new();
        public void Info(string message) { }
        public void Warning(string message, MethodDefinition method = null) { }
        public void Error(string message, MethodDefinition method = null) { }
    }
}
