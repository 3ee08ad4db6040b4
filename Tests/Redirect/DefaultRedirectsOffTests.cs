using System.IO;
using System.Xml.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Trapweave.Fody.Core;
using Trapweave.Fody.Redirect;
using Trapweave.Tests.Weaving.Support;

namespace Trapweave.Tests.Redirect;

/// <summary>
/// <c>DefaultRedirects="false"</c> (README, "Default redirect set"): a module woven with it keeps
/// its calls to the default set direct, while its <c>Redirect</c> patterns still apply. Woven in
/// memory: a small module with one method per call.
/// </summary>
public class DefaultRedirectsOffTests
{
    [Fact]
    public void By_default_the_set_is_redirected()
    {
        var (module, weaver) = Weave("<Trapweave />");
        Assert.True(CallsStub(module, "Now"));
        Assert.True(CallsStub(module, "UtcNow"));
        Assert.True(CallsStub(module, "NewGuid"));
        Assert.Equal(3, weaver.RedirectedMembers);
    }

    [Fact]
    public void DefaultRedirects_false_leaves_the_set_direct()
    {
        var (module, weaver) = Weave("<Trapweave DefaultRedirects=\"false\" />");
        Assert.False(CallsStub(module, "Now"));
        Assert.False(CallsStub(module, "UtcNow"));
        Assert.False(CallsStub(module, "NewGuid"));
        Assert.Equal(0, weaver.RedirectedMembers);
        Assert.Null(module.GetType(RedirectStubFactory.TypeName));
    }

    [Fact]
    public void DefaultRedirects_false_keeps_the_Redirect_patterns()
    {
        var (module, weaver) = Weave("<Trapweave DefaultRedirects=\"false\" Redirect=\"System.DateTime::get_UtcNow\" />");
        Assert.False(CallsStub(module, "Now"));
        Assert.True(CallsStub(module, "UtcNow"));
        Assert.False(CallsStub(module, "NewGuid"));
        Assert.Equal(1, weaver.RedirectedMembers);
    }

    static (ModuleDefinition Module, TrapWeaver Weaver) Weave(string xml)
    {
        var module = Probe();
        var weaver = new TrapWeaver(WeaverConfig.Parse(XElement.Parse(xml, LoadOptions.SetLineInfo)), new RecordingLog());
        Assert.True(weaver.Weave(module));
        return (module, weaver);
    }

    /// <summary>Whether the probe method's one call goes through a redirect stub (else it calls the member directly).</summary>
    static bool CallsStub(ModuleDefinition module, string method)
    {
        var call = module.GetType("Probe.Calls").Methods.Single(m => m.Name == method).Body.Instructions
            .Where(i => i.OpCode == OpCodes.Call)
            .Select(i => (MethodReference)i.Operand)
            .Last(m => m.DeclaringType.Namespace != "Trapweave" && m.DeclaringType.FullName != TrapTableBuilder.TypeName);
        return call.DeclaringType.FullName == RedirectStubFactory.TypeName;
    }

    /// <summary>A module whose static methods <c>Now</c>, <c>UtcNow</c> and <c>NewGuid</c> each return the framework member of that name.</summary>
    static ModuleDefinition Probe()
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(TestFiles.RuntimeDirectory);
        resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        var assembly = AssemblyDefinition.CreateAssembly(new AssemblyNameDefinition("Probe", new Version(1, 0)), "Probe.dll",
            new ModuleParameters { Kind = ModuleKind.Dll, AssemblyResolver = resolver });
        var module = assembly.MainModule;
        var type = new TypeDefinition("Probe", "Calls", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed, module.TypeSystem.Object);
        module.Types.Add(type);
        void Add(string name, System.Reflection.MethodInfo member)
        {
            var method = new MethodDefinition(name, MethodAttributes.Public | MethodAttributes.Static, module.ImportReference(member.ReturnType));
            var il = method.Body.GetILProcessor();
            il.Emit(OpCodes.Call, module.ImportReference(member));
            il.Emit(OpCodes.Ret);
            type.Methods.Add(method);
        }
        Add("Now", typeof(DateTime).GetProperty(nameof(DateTime.Now))!.GetMethod!);
        Add("UtcNow", typeof(DateTime).GetProperty(nameof(DateTime.UtcNow))!.GetMethod!);
        Add("NewGuid", typeof(Guid).GetMethod(nameof(Guid.NewGuid))!);
        return module;
    }
}
