using System.IO;
using System.Reflection;
using System.Security.Cryptography;
using Trapweave.Fody.Core;
using Trapweave.Tests.Weaving.Support;

namespace Trapweave.Tests.Weaving;

/// <summary>A strong-named assembly keeps its identity when woven; with its key pair it is properly re-signed.</summary>
public class StrongNameTests
{
    [Fact]
    public void The_verifier_accepts_what_the_compiler_signed()
    {
        // Guards the check below: the fixture is really signed, and the verifier recognises it.
        Assert.NotEmpty(AssemblyName.GetAssemblyName(TestFiles.StrongNamed).GetPublicKey()!);
        Assert.True(StrongNameSignature.Verify(TestFiles.StrongNamed));
    }

    [Fact]
    public void With_its_key_pair_a_signed_assembly_is_re_signed_with_the_same_public_key()
    {
        using var dir = new TempDirectory("resign");
        var path = dir.Copy(TestFiles.StrongNamed);
        var before = AssemblyName.GetAssemblyName(path);
        var log = new RecordingLog();

        var result = AssemblyFileWeaver.WeaveFile(path, WeaverConfig.Default, log, new[] { TestFiles.RuntimeDirectory }, TestFiles.TestKey);

        Assert.Equal(FileWeaveOutcome.Woven, result.Outcome);
        Assert.Equal(StrongNameOutcome.Resigned, result.StrongName);
        Assert.Empty(log.Warnings);
        var after = AssemblyName.GetAssemblyName(path);
        Assert.Equal(before.GetPublicKey(), after.GetPublicKey());
        Assert.Equal(before.GetPublicKeyToken(), after.GetPublicKeyToken());
        Assert.Equal(before.Version, after.Version);
        Assert.True(StrongNameSignature.Verify(path), "the woven assembly's strong-name signature does not verify");
        AssertWovenAndPatchable(dir, path);
    }

    [Fact]
    public void Without_a_key_the_public_key_is_kept_and_the_assembly_still_loads()
    {
        using var dir = new TempDirectory("keep-key");
        var path = dir.Copy(TestFiles.StrongNamed);
        var before = AssemblyName.GetAssemblyName(path);
        var log = new RecordingLog();

        var result = AssemblyFileWeaver.WeaveFile(path, WeaverConfig.Default, log, new[] { TestFiles.RuntimeDirectory });

        Assert.Equal(StrongNameOutcome.PublicKeyKept, result.StrongName);
        Assert.Contains(log.Infos, m => m.Contains("public key is kept"));
        Assert.Equal(before.GetPublicKey(), AssemblyName.GetAssemblyName(path).GetPublicKey());
        Assert.False(StrongNameSignature.Verify(path)); // the signature is not renewed: .NET does not check it
        AssertWovenAndPatchable(dir, path);
    }

    [Fact]
    public void A_key_pair_of_another_assembly_is_refused_with_a_warning_and_the_identity_kept()
    {
        using var dir = new TempDirectory("wrong-key");
        var path = dir.Copy(TestFiles.StrongNamed);
        using (var rsa = RSA.Create(1024)) File.WriteAllBytes(dir["Other.snk"], StrongNameSignature.ToSnk(rsa));
        var before = AssemblyName.GetAssemblyName(path);
        var log = new RecordingLog();

        var result = AssemblyFileWeaver.WeaveFile(path, WeaverConfig.Default, log, new[] { TestFiles.RuntimeDirectory }, dir["Other.snk"]);

        Assert.Equal(StrongNameOutcome.PublicKeyKept, result.StrongName);
        Assert.Contains(log.Warnings, w => w.Contains("is not the one"));
        Assert.Equal(before.GetPublicKey(), AssemblyName.GetAssemblyName(path).GetPublicKey());
    }

    [Fact]
    public void A_public_key_only_file_cannot_sign_and_says_so()
    {
        using var dir = new TempDirectory("public-only");
        var path = dir.Copy(TestFiles.StrongNamed);
        var publicKey = AssemblyName.GetAssemblyName(path).GetPublicKey()!; // what `sn -p` writes
        File.WriteAllBytes(dir["Public.snk"], publicKey);
        var log = new RecordingLog();

        var result = AssemblyFileWeaver.WeaveFile(path, WeaverConfig.Default, log, new[] { TestFiles.RuntimeDirectory }, dir["Public.snk"]);

        Assert.Equal(StrongNameOutcome.PublicKeyKept, result.StrongName);
        Assert.Contains(log.Warnings, w => w.Contains("only a public key"));
    }

    [Fact]
    public void The_key_file_parser_derives_the_public_key_the_compiler_embedded()
    {
        var key = StrongNameKey.Read(TestFiles.TestKey, out var problem);
        Assert.Null(problem);
        Assert.Equal(AssemblyName.GetAssemblyName(TestFiles.StrongNamed).GetPublicKey(), key!.PublicKey);
    }

    static void AssertWovenAndPatchable(TempDirectory dir, string path)
    {
        using var context = new IsolatedContext("signed", dir.Path);
        var assembly = context.LoadCopy(path);
        var add = assembly.GetType("StrongNamed.Signed")!.GetMethod("Add")!;
        var describe = assembly.GetType("StrongNamed.Signed")!.GetMethod("Describe")!;
        Assert.True(Trap.IsTrapped(add));
        using (Trap.Patch(add, new Func<int, int, int>((a, b) => a * 100 + b)))
            Assert.Equal("value 401", describe.Invoke(null, new object[] { 4 }));
        Assert.Equal("value 5", describe.Invoke(null, new object[] { 4 }));
    }
}
