using System;
using System.Reflection;

namespace Trapweave.Tracing;

/// <summary>
/// What recording a method's calls needs from reflection, read once per method and renderer:
/// parameter names, which are secret (attribute or name pattern), out, or pointers. Attribute
/// look-ups cost about a microsecond each, too much to repeat on every traced call.
/// </summary>
internal sealed class MethodPlan
{
    public readonly string[] Names;
    public readonly bool[] Secret;
    public readonly bool[] Out;
    /// <summary>The declared type where it decides how an IntPtr reads (pointer, function pointer), else null.</summary>
    public readonly Type?[] Declared;
    public readonly bool ResultSecret;
    public readonly Type? ResultDeclared;

    public MethodPlan(MethodBase method, ValueRenderer renderer)
    {
        var parameters = method.GetParameters();
        Names = new string[parameters.Length];
        Secret = new bool[parameters.Length];
        Out = new bool[parameters.Length];
        Declared = new Type?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            Names[i] = parameter.Name ?? "arg" + i;
            Secret[i] = renderer.IsSecretParameter(parameter);
            Out[i] = parameter.IsOut && parameter.ParameterType.IsByRef;
            var type = parameter.ParameterType.IsByRef ? parameter.ParameterType.GetElementType()! : parameter.ParameterType;
            Declared[i] = type.IsPointer || type.IsFunctionPointer ? type : null;
        }
        if (method is MethodInfo info)
        {
            try { ResultSecret = info.ReturnParameter?.IsDefined(typeof(TraceSecretAttribute), true) == true; }
            catch (Exception) { }
            var returned = info.ReturnType;
            ResultDeclared = returned.IsPointer || returned.IsFunctionPointer ? returned : null;
        }
    }
}
