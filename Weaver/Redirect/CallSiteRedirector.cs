using System;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using Trapweave.Fody.Core;

namespace Trapweave.Fody.Redirect;

/// <summary>
/// Routes a method body's calls to redirected members (members of other assemblies in the
/// <see cref="RedirectSet"/>) through the stubs of <see cref="RedirectStubFactory"/>, keeping each
/// site's semantics:
/// <list type="bullet">
/// <item><c>call</c> static, <c>newobj</c>, <c>callvirt</c>: the operand becomes <c>call stub</c>;</item>
/// <item><c>constrained. T callvirt</c>: the prefix becomes a <c>nop</c>, the call a stub generic over T taking <c>ref T</c>;</item>
/// <item><c>call</c> of a value type's method: receiver by reference; <c>call .ctor</c> on a value type's address:
/// the factory stub then <c>stobj</c>;</item>
/// <item><c>ldftn</c> of a static or non-virtual method: the stub (a delegate over an instance method becomes one
/// closed over its first argument); <c>ldvirtftn</c>: <c>pop</c> (the receiver was duplicated for the delegate) and <c>ldftn</c> of the stub.</item>
/// </list>
/// Left alone: base calls (<c>call</c> of a virtual method), base constructor calls, delegates over value-type
/// methods, varargs calls, array methods, and members a stub could not call (protected ones, see <see cref="StubAccess"/>).
/// </summary>
public sealed class CallSiteRedirector
{
    readonly ModuleDefinition _module;
    readonly RedirectSet _set;
    readonly RedirectStubFactory _stubs;
    readonly StubAccess _access;

    public CallSiteRedirector(ModuleDefinition module, RedirectSet set, RedirectStubFactory stubs)
    {
        _module = module;
        _set = set;
        _stubs = stubs;
        _access = new StubAccess(module);
    }

    /// <summary>Call sites redirected so far.</summary>
    public int CallSites { get; private set; }

    public void Redirect(MethodDefinition method)
    {
        if (!method.HasBody) return;
        var instructions = method.Body.Instructions;
        var simplified = false;
        for (var i = 0; i < instructions.Count; i++)
        {
            var instruction = instructions[i];
            if (instruction.Operand is not MethodReference called) continue;
            var code = instruction.OpCode.Code;
            if (code is not (Code.Call or Code.Callvirt or Code.Newobj or Code.Ldftn or Code.Ldvirtftn)) continue;
            if (!IsExternal(called, _module) || called.CallingConvention == MethodCallingConvention.VarArg) continue;
            if (!_set.Redirects(called) || !_access.StubCanReach(called)) continue;

            var previous = i > 0 ? instructions[i - 1] : null;
            var constrained = code == Code.Callvirt && previous?.OpCode.Code == Code.Constrained ? (TypeReference)previous.Operand : null;
            var site = Classify(code, called, constrained is not null);
            if (site is null) continue;
            var (kind, inPlace) = site.Value;

            var stub = _stubs.StubFor(called, kind, constrained);
            CallSites++;
            if (constrained is not null)
            {
                previous!.OpCode = OpCodes.Nop;
                previous.Operand = null;
            }
            if (code is Code.Ldftn)
            {
                instruction.Operand = stub;
                continue;
            }
            if (!simplified && (code == Code.Ldvirtftn || inPlace))
            {
                method.Body.SimplifyMacros();
                simplified = true;
            }
            if (code == Code.Ldvirtftn)
            {
                // The receiver is on the stack (and again below it, for the delegate's target).
                instruction.OpCode = OpCodes.Pop;
                instruction.Operand = null;
                instructions.Insert(++i, Instruction.Create(OpCodes.Ldftn, stub));
                continue;
            }
            instruction.OpCode = OpCodes.Call;
            instruction.Operand = stub;
            if (inPlace) instructions.Insert(++i, Instruction.Create(OpCodes.Stobj, called.DeclaringType));
        }
        if (simplified) method.Body.OptimizeMacros();
    }

    /// <summary>The stub kind for a site, and whether it constructs a value in place; null when the site is left alone.</summary>
    static (CallKind Kind, bool InPlace)? Classify(Code code, MethodReference called, bool constrained)
    {
        if (!called.HasThis)
            return code is Code.Call or Code.Ldftn ? (CallKind.Static, false) : null;
        if (constrained) return (CallKind.Constrained, false);
        switch (code)
        {
            case Code.Newobj:
                return (CallKind.Create, false);
            case Code.Callvirt:
            case Code.Ldvirtftn:
                return (CallKind.Virtual, false);
            case Code.Call:
            case Code.Ldftn:
            {
                var definition = Resolve(called);
                if (definition is null) return null;
                if (definition.IsConstructor)
                    // Only a value type's in-place construction; a class's call .ctor is a base(...) call.
                    return code == Code.Call && definition.DeclaringType.IsValueType ? (CallKind.Create, true) : null;
                if (definition.DeclaringType.IsValueType)
                    // A delegate over a value type's method closes over a boxed copy: no stub fits it.
                    return code == Code.Call ? (CallKind.Value, false) : null;
                // call of a virtual method is a base call (or ldftn of one, base.M as a delegate): keep it exact.
                return definition.IsVirtual ? null : (CallKind.Direct, false);
            }
            default:
                return null;
        }
    }

    static MethodDefinition? Resolve(MethodReference called)
    {
        try { return called.Resolve(); }
        catch (AssemblyResolutionException) { return null; }
    }

    /// <summary>Whether <paramref name="called"/> is a member of another assembly than <paramref name="module"/>'s (and not of the Trapweave runtime).</summary>
    internal static bool IsExternal(MethodReference called, ModuleDefinition module)
    {
        var type = called.DeclaringType;
        if (type is ArrayType) return false;
        var element = type.GetElementType();
        if (element is TypeDefinition definition && definition.Module == module) return false;
        while (element.DeclaringType is { } outer) element = outer;
        var scope = element.Scope;
        if (scope is ModuleDefinition own && own == module) return false;
        return scope?.Name != RuntimeReferences.RuntimeAssemblyName && !(scope is AssemblyNameReference { Name: RuntimeReferences.RuntimeAssemblyName });
    }
}
