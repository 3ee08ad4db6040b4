using System.Collections.Generic;
using Mono.Cecil;

namespace Trapweave.Fody.Core;

/// <summary>
/// Builds the module's <c>&lt;Trapweave&gt;TrapTable</c>: one <c>static int</c> armed flag per trapped
/// method (0 = unarmed, else the runtime's slot number), the handler delegate types, nested inside,
/// and their dispatchers (<see cref="HandlerTypeFactory"/>).
/// The class has no static constructor, so reading a flag is a plain memory load.
/// The class is <c>[CompilerGenerated]</c> and its flags are named <c>&lt;&gt;9_</c>: the form coverlet recognises
/// as a compiler-generated static (Roslyn's cached lambdas in a <c>&lt;&gt;c</c> class, <c>&lt;&gt;9_</c> and
/// anything), so it does not count branches on a flag as branches of the user's code (see
/// <see cref="PrologueWriter"/>). All flags have that one name: they are compiler-controlled
/// (<c>privatescope</c>), which ECMA-335 lets share a name and signature, reached by their tokens only,
/// from anywhere in the module; so thousands of flags cost one string, not thousands.
/// </summary>
public sealed class TrapTableBuilder
{
    public const string TypeName = "<Trapweave>TrapTable";
    public const string FlagName = "<>9_";

    readonly ModuleDefinition _module;
    int _flags;

    public TrapTableBuilder(ModuleDefinition module)
    {
        _module = module;
        Type = new TypeDefinition("", TypeName,
            TypeAttributes.NotPublic | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit | TypeAttributes.Class,
            module.TypeSystem.Object);
        var corlib = module.TypeSystem.CoreLibrary;
        AddAttribute("System.Runtime.CompilerServices", "CompilerGeneratedAttribute");
        // The dispatchers' frames (unoptimized code, where they are not inlined): stepping and Just My
        // Code skip them, and stack traces leave them out (aggressively inlined methods are left out
        // anyway; StackTraceHidden says it where the core library has it).
        AddAttribute("System.Diagnostics", "DebuggerNonUserCodeAttribute");
        if (corlib.Name != "netstandard" && corlib.Name != "mscorlib") AddAttribute("System.Diagnostics", "StackTraceHiddenAttribute");

        void AddAttribute(string ns, string name)
        {
            var attribute = new TypeReference(ns, name, module, corlib);
            Type.CustomAttributes.Add(new CustomAttribute(new MethodReference(".ctor", module.TypeSystem.Void, attribute) { HasThis = true }));
        }
    }

    public TypeDefinition Type { get; }

    public int FlagCount => _flags;

    public FieldDefinition AddFlag()
    {
        _flags++;
        var field = new FieldDefinition(FlagName, FieldAttributes.CompilerControlled | FieldAttributes.Static, _module.TypeSystem.Int32);
        Type.Fields.Add(field);
        return field;
    }

    public void AddNested(TypeDefinition nested) => Type.NestedTypes.Add(nested);

    public static bool IsPresent(ModuleDefinition module)
    {
        foreach (var type in module.Types)
            if (type.FullName == TypeName) return true;
        return false;
    }
}
