using System.IO;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;

namespace Trapweave.Tests.Weaving.Support;

/// <summary>
/// Checks an assembly's strong-name signature independently of Cecil, the way the CLR defines it:
/// SHA-1 over the headers (checksum and certificate-table entry zeroed) and every section's raw data
/// except the signature blob, RSA PKCS#1 v1.5 against the public key in the assembly's metadata.
/// Also writes <c>.snk</c> key pairs (CAPI PRIVATEKEYBLOB), for throwaway keys.
/// </summary>
public static class StrongNameSignature
{
    public static bool Verify(string assemblyPath)
    {
        var image = File.ReadAllBytes(assemblyPath);
        var publicKey = System.Reflection.AssemblyName.GetAssemblyName(assemblyPath).GetPublicKey();
        if (publicKey is null || publicKey.Length < 32) return false;

        using var pe = new PEReader(new MemoryStream(image));
        var headers = pe.PEHeaders;
        var signatureDirectory = headers.CorHeader!.StrongNameSignatureDirectory;
        if (signatureDirectory.Size == 0) return false;
        if (!headers.TryGetDirectoryOffset(signatureDirectory, out var signatureOffset)) return false;

        var headersEnd = headers.CoffHeaderStartOffset + 20 + headers.CoffHeader.SizeOfOptionalHeader + 40 * headers.CoffHeader.NumberOfSections;
        var headerBytes = image[..headersEnd];
        var optional = headers.PEHeaderStartOffset;
        Array.Clear(headerBytes, optional + 64, 4); // CheckSum
        var directories = optional + (headers.PEHeader!.Magic == PEMagic.PE32Plus ? 112 : 96);
        Array.Clear(headerBytes, directories + 4 * 8, 8); // certificate table entry

        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(headerBytes);
        foreach (var section in headers.SectionHeaders.OrderBy(s => s.PointerToRawData))
        {
            var start = section.PointerToRawData;
            var end = start + section.SizeOfRawData;
            if (signatureOffset >= start && signatureOffset < end)
            {
                sha1.AppendData(image, start, signatureOffset - start);
                var after = signatureOffset + signatureDirectory.Size;
                sha1.AppendData(image, after, end - after);
            }
            else
            {
                sha1.AppendData(image, start, end - start);
            }
        }
        var hash = sha1.GetHashAndReset();

        var signature = image.AsSpan(signatureOffset, signatureDirectory.Size).ToArray();
        Array.Reverse(signature);
        using var rsa = RSA.Create();
        rsa.ImportParameters(FromPublicKey(publicKey));
        return rsa.VerifyHash(hash, signature, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
    }

    /// <summary>RSA parameters from an assembly public key (12-byte header + PUBLICKEYBLOB).</summary>
    static RSAParameters FromPublicKey(byte[] publicKey)
    {
        var bitLength = BitConverter.ToInt32(publicKey, 12 + 12);
        var exponent = publicKey.AsSpan(12 + 16, 4).ToArray();
        Array.Reverse(exponent);
        var modulus = publicKey.AsSpan(12 + 20, bitLength / 8).ToArray();
        Array.Reverse(modulus);
        return new RSAParameters { Exponent = exponent.SkipWhile(b => b == 0).ToArray(), Modulus = modulus };
    }

    /// <summary>A <c>.snk</c> key pair (CAPI PRIVATEKEYBLOB, CALG_RSA_SIGN) for <paramref name="rsa"/>.</summary>
    public static byte[] ToSnk(RSA rsa)
    {
        var p = rsa.ExportParameters(includePrivateParameters: true);
        int n = p.Modulus!.Length, half = n / 2;
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write((byte)0x07); // PRIVATEKEYBLOB
        w.Write((byte)0x02);
        w.Write((ushort)0);
        w.Write(0x2400u); // CALG_RSA_SIGN
        w.Write(0x32415352u); // "RSA2"
        w.Write((uint)(n * 8));
        var exponent = new byte[4];
        for (var i = 0; i < p.Exponent!.Length; i++) exponent[i] = p.Exponent[p.Exponent.Length - 1 - i];
        w.Write(exponent);
        void LittleEndian(byte[] value, int length)
        {
            var bytes = new byte[length];
            for (var i = 0; i < value.Length; i++) bytes[i] = value[value.Length - 1 - i];
            w.Write(bytes);
        }
        LittleEndian(p.Modulus, n);
        LittleEndian(p.P!, half);
        LittleEndian(p.Q!, half);
        LittleEndian(p.DP!, half);
        LittleEndian(p.DQ!, half);
        LittleEndian(p.InverseQ!, half);
        LittleEndian(p.D!, n);
        w.Flush();
        return stream.ToArray();
    }
}
