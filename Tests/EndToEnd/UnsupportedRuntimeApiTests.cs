using System.IO;
using System.IO.Compression;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Mono.Cecil;
using Trapweave.Tests.EndToEnd.Support;

namespace Trapweave.Tests.EndToEnd;

/// <summary>
/// The runtime package's build for everything but .NET 8+ (<c>lib/netstandard2.0/Trapweave.dll</c>,
/// from Weaver.Runtime/Unsupported/): it has the public API of the <c>net8.0</c> build, so test code
/// compiles for .NET Framework targets too, and every registration throws a TrapException naming the
/// runtime and the fix. It is called here in a load context of its own (on .NET 10, so the message
/// names .NET 10: on .NET Framework it names that).
/// </summary>
[Collection(EndToEndCollection.Name), Trait("Category", "EndToEnd")]
public sealed class UnsupportedRuntimeApiTests
{
    readonly PackedPackages _packages;

    public UnsupportedRuntimeApiTests(PackedPackages packages) => _packages = packages;

    byte[] PackageFile(string name)
    {
        using var package = ZipFile.OpenRead(_packages.RuntimePackage);
        using var stream = package.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public void The_netstandard_build_has_exactly_the_public_API_of_the_net8_build()
    {
        var net8 = PublicApi(PackageFile("lib/net8.0/Trapweave.dll"));
        var older = PublicApi(PackageFile("lib/netstandard2.0/Trapweave.dll"));

        var missing = net8.Except(older).ToArray();
        var extra = older.Except(net8).ToArray();
        Assert.True(missing.Length == 0 && extra.Length == 0,
            "The netstandard2.0 build (Weaver.Runtime/Unsupported/) must declare the same public API as the net8.0 build.\n" +
            $"Missing there:\n  {string.Join("\n  ", missing)}\nOnly there:\n  {string.Join("\n  ", extra)}");
        Assert.Contains(net8, m => m.Contains("Trapweave.Trap::Patch"));
    }

    [Fact]
    public void Every_registration_on_the_netstandard_build_throws_a_TrapException_naming_the_call_the_runtime_and_the_fix()
    {
        var context = new AssemblyLoadContext("trapweave-netstandard", isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(new MemoryStream(PackageFile("lib/netstandard2.0/Trapweave.dll")));
            var trap = assembly.GetType("Trapweave.Trap", throwOnError: true)!;
            var target = typeof(UnsupportedRuntimeApiTests).GetMethod(nameof(Target), BindingFlags.NonPublic | BindingFlags.Static)!;
            Func<int> replacement = () => 7;
            var global = trap.GetProperty("Global")!.GetValue(null)!;

            var calls = new (string Name, Func<object> Call)[]
            {
                ("Trap.Patch", () => Invoke(trap, "Patch", null, new object[] { target, replacement }, typeof(MethodBase), typeof(Delegate))),
                ("Trap.Patch", () => InvokeGeneric(trap, "Patch", typeof(Func<int>), (Func<int>)Target, replacement)),
                ("Trap.When", () => InvokeGeneric(trap, "When", typeof(int), new object[] { null })),
                ("Trap.Intercept", () => Invoke(trap, "Intercept", null, new object[] { target, null, null }, typeof(MethodBase), typeof(Action<>).MakeGenericType(assembly.GetType("Trapweave.Invocation")!), typeof(Action<>).MakeGenericType(assembly.GetType("Trapweave.Invocation")!))),
                ("Trap.Record", () => Invoke(trap, "Record", null, new object[] { target }, typeof(MethodBase))),
                ("Trap.Scope", () => Invoke(trap, "Scope", null, Array.Empty<object>())),
                ("Trap.Global.Patch", () => Invoke(global.GetType(), "Patch", global, new object[] { target, replacement }, typeof(MethodBase), typeof(Delegate))),
            };
            foreach (var (name, call) in calls)
            {
                var thrown = Assert.Throws<TargetInvocationException>(() => call()).InnerException;
                Assert.NotNull(thrown);
                Assert.Equal("Trapweave.TrapException", thrown.GetType().FullName);
                Assert.Same(assembly, thrown.GetType().Assembly);
                Assert.StartsWith($"{name} cannot work on {RuntimeInformation.FrameworkDescription}: Trapweave runs on .NET 8 and later only", thrown.Message);
                Assert.Contains("nothing is woven", thrown.Message);
                Assert.Contains("TRAP010", thrown.Message);
                Assert.Contains("net10.0", thrown.Message);
                Assert.Contains("#if NET8_0_OR_GREATER", thrown.Message);
            }
            // Nothing is trapped there, and it says so without throwing.
            Assert.Equal(false, trap.GetMethod("IsTrapped")!.Invoke(null, new object[] { target }));
        }
        finally
        {
            context.Unload();
        }
    }

    static int Target() => 42;

    static object Invoke(Type type, string name, object instance, object[] arguments, params Type[] parameters)
    {
        var method = type.GetMethod(name, parameters);
        Assert.NotNull(method);
        return method.Invoke(instance, arguments);
    }

    /// <summary>Calls the one static generic method <paramref name="name"/> taking as many arguments, made for <paramref name="typeArgument"/>.</summary>
    static object InvokeGeneric(Type type, string name, Type typeArgument, params object[] arguments) =>
        type.GetMethods().Single(m => m.Name == name && m.IsGenericMethodDefinition && m.GetParameters().Length == arguments.Length)
            .MakeGenericMethod(typeArgument).Invoke(null, arguments);

    /// <summary>
    /// What user code can compile against: public types, and their public or protected members, each
    /// as one line with its signature. Overrides of inherited virtual methods are left out (they
    /// change nothing a caller can write).
    /// </summary>
    static SortedSet<string> PublicApi(byte[] image)
    {
        using var module = ModuleDefinition.ReadModule(new MemoryStream(image));
        var api = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in module.GetTypes().Where(Visible))
        {
            var kind = type.IsInterface ? "interface" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : type.IsAbstract ? "abstract class" : type.IsSealed ? "sealed class" : "class";
            api.Add($"{kind} {type.FullName}{Generics(type.GenericParameters)} : {type.BaseType?.FullName} {string.Join(", ", type.Interfaces.Select(i => i.InterfaceType.FullName).Order())}");
            foreach (var field in type.Fields.Where(f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly))
                api.Add($"{type.FullName}::{field.Name} field {(field.IsStatic ? "static " : "")}{(field.IsInitOnly ? "readonly " : "")}{field.FieldType.FullName}");
            foreach (var method in type.Methods.Where(m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly))
            {
                if (method.IsVirtual && !method.IsNewSlot && !type.IsInterface) continue;
                var modifiers = (method.IsStatic ? "static " : "") + (method.IsAbstract ? "abstract " : method.IsVirtual && !method.IsFinal ? "virtual " : "") + (method.IsFamily ? "protected " : "");
                var parameters = method.Parameters.Select(p =>
                    (p.IsOut ? "out " : "") + p.ParameterType.FullName + (p.HasConstant ? " = " + (p.Constant ?? "null") : p.IsOptional ? " = default" : ""));
                api.Add($"{type.FullName}::{method.Name}{Generics(method.GenericParameters)}({string.Join(", ", parameters)}) {modifiers}{method.ReturnType.FullName}");
            }
        }
        return api;
    }

    static bool Visible(TypeDefinition type) =>
        type.IsPublic || (type.IsNestedPublic || type.IsNestedFamily || type.IsNestedFamilyOrAssembly) && Visible(type.DeclaringType);

    static string Generics(IEnumerable<GenericParameter> parameters)
    {
        var list = parameters.Select(p =>
        {
            var constraints = p.Constraints.Select(c => c.ConstraintType.FullName).ToList();
            if (p.HasReferenceTypeConstraint) constraints.Add("class");
            if (p.HasNotNullableValueTypeConstraint) constraints.Add("struct");
            if (p.HasDefaultConstructorConstraint) constraints.Add("new()");
            return constraints.Count == 0 ? p.Name : $"{p.Name} : {string.Join(", ", constraints.Order())}";
        }).ToArray();
        return list.Length == 0 ? "" : "<" + string.Join("; ", list) + ">";
    }
}
