using System.IO;
using System.Reflection.PortableExecutable;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Trapweave.Tests.EndToEnd.Support;

/// <summary>
/// Small assemblies written on the spot, for what no compiler here produces: a mixed-mode image
/// (C++/CLI, Windows only) is imitated by an IL library whose CLI header has the ILOnly flag cleared,
/// which is how mixed-mode images declare their native code.
/// </summary>
public static class CraftedAssemblies
{
    /// <summary>A library <paramref name="name"/> with one public type <c>{name}.Api</c> and a static method <c>int Answer()</c>.</summary>
    public static byte[] Library(string name, bool referenceAssembly = false)
    {
        var module = ModuleDefinition.CreateModule(name, new ModuleParameters { Kind = ModuleKind.Dll, Runtime = TargetRuntime.Net_4_0 });
        module.Assembly.Name.Version = new Version(1, 0, 0, 0);
        var type = new TypeDefinition(name, "Api", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.Class | TypeAttributes.BeforeFieldInit, module.TypeSystem.Object);
        var method = new MethodDefinition("Answer", MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig, module.TypeSystem.Int32);
        var il = method.Body.GetILProcessor();
        il.Emit(OpCodes.Ldc_I4, 42);
        il.Emit(OpCodes.Ret);
        type.Methods.Add(method);
        module.Types.Add(type);
        if (referenceAssembly)
        {
            var attribute = new TypeReference("System.Runtime.CompilerServices", "ReferenceAssemblyAttribute", module, module.TypeSystem.CoreLibrary);
            var constructor = new MethodReference(".ctor", module.TypeSystem.Void, attribute) { HasThis = true };
            module.Assembly.CustomAttributes.Add(new CustomAttribute(constructor));
        }
        using var stream = new MemoryStream();
        module.Write(stream);
        return stream.ToArray();
    }

    /// <summary><see cref="Library"/> with the CLI header's ILOnly flag cleared: what a mixed-mode assembly looks like to a reader.</summary>
    public static byte[] MixedModeLibrary(string name)
    {
        var image = Library(name);
        int flagsOffset;
        using (var pe = new PEReader(new MemoryStream(image)))
        {
            // IMAGE_COR20_HEADER: cb (4), runtime version (2 + 2), metadata directory (8), then Flags.
            flagsOffset = pe.PEHeaders.CorHeaderStartOffset + 16;
        }
        var flags = BitConverter.ToUInt32(image, flagsOffset);
        BitConverter.GetBytes(flags & ~(uint)CorFlags.ILOnly).CopyTo(image, flagsOffset);
        return image;
    }
}
