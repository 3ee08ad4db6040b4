using System.Collections.Generic;
using Mono.Cecil;

namespace Trapweave.Fody.Core;

/// <summary>
/// Builds the module's <c>&lt;Trapweave&gt;TrapTable</c>: one <c>static int</c> armed flag per trapped
/// method (0 = unarmed, else the runtime's slot number) and the handler delegate types, nested inside.
/// The class has no static constructor, so reading a flag is a plain memory load.
/// </summary>
public sealed class TrapTableBuilder
{
    public const string TypeName = "<Trapweave>TrapTable";

    readonly ModuleDefinition _module;
    int _flags;

    public TrapTableBuilder(ModuleDefinition module)
    {
        _module = module;
        Type = new TypeDefinition("", TypeName,
            TypeAttributes.NotPublic | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit | TypeAttributes.Class,
            module.TypeSystem.Object);
    }

    public TypeDefinition Type { get; }

    public int FlagCount => _flags;

    public FieldDefinition AddFlag()
    {
        var field = new FieldDefinition("m" + _flags++, FieldAttributes.Assembly | FieldAttributes.Static, _module.TypeSystem.Int32);
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
