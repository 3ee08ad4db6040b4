namespace System.Runtime.CompilerServices;

/// <summary>
/// Honoured by the runtime on dynamic assemblies (matched by name, not defined by the framework):
/// code there may use non-public members of the named assembly. Generated handlers need it to call
/// replacements, woven types and Trapweave's internals directly.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute : Attribute
{
    public IgnoresAccessChecksToAttribute(string assemblyName) => AssemblyName = assemblyName;

    public string AssemblyName { get; }
}
