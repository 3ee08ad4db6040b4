using System;
using System.IO;
using System.Linq;

namespace Trapweave.Fody.Core;

/// <summary>
/// A strong-name key pair read from a <c>.snk</c> file (a CAPI <c>PRIVATEKEYBLOB</c>, as <c>sn -k</c>
/// writes it), with the public key it signs for in the form assemblies carry.
/// </summary>
public sealed class StrongNameKey
{
    const byte PrivateKeyBlob = 0x07;
    const byte PublicKeyBlob = 0x06;
    const uint Rsa2 = 0x32415352; // "RSA2": private key
    const uint CalgRsaSign = 0x2400;
    const uint CalgSha1 = 0x8004;

    StrongNameKey(byte[] keyBlob, byte[] publicKey)
    {
        KeyBlob = keyBlob;
        PublicKey = publicKey;
    }

    /// <summary>The private key blob, as Cecil's <c>WriterParameters.StrongNameKeyBlob</c> takes it.</summary>
    public byte[] KeyBlob { get; }

    /// <summary>The public key in assembly metadata form: signature and hash algorithm ids, length, <c>PUBLICKEYBLOB</c>.</summary>
    public byte[] PublicKey { get; }

    /// <summary>
    /// Reads a key file. Returns null, with the reason in <paramref name="problem"/>, when it holds no
    /// private key (a public key for delay signing) or is not a key blob at all.
    /// </summary>
    public static StrongNameKey? Read(string path, out string? problem)
    {
        byte[] blob;
        try { blob = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"the key file '{path}' could not be read ({e.Message})";
            return null;
        }
        return FromBlob(blob, path, out problem);
    }

    public static StrongNameKey? FromBlob(byte[] blob, string source, out string? problem)
    {
        problem = null;
        var isPrivate = blob.Length >= 20 && blob[0] == PrivateKeyBlob && ReadUInt32(blob, 8) == Rsa2;
        if (!isPrivate && (blob.Length >= 1 && blob[0] == PublicKeyBlob || blob.Length >= 13 && blob[12] == PublicKeyBlob))
        {
            // A bare PUBLICKEYBLOB, or the assembly form `sn -p` writes (ids and length, then the blob).
            problem = $"'{source}' holds only a public key (delay signing), which cannot sign";
            return null;
        }
        if (!isPrivate)
        {
            problem = $"'{source}' is not a strong-name key pair (.snk)";
            return null;
        }
        var bitLength = (int)ReadUInt32(blob, 12);
        var modulusLength = bitLength / 8;
        if (bitLength <= 0 || bitLength % 8 != 0 || blob.Length < 20 + modulusLength)
        {
            problem = $"'{source}' is a truncated strong-name key pair";
            return null;
        }

        // Public key: SigAlgId, HashAlgId, cbPublicKey, then PUBLICKEYBLOB (BLOBHEADER, RSAPUBKEY "RSA1", modulus).
        var publicKey = new byte[12 + 20 + modulusLength];
        WriteUInt32(publicKey, 0, CalgRsaSign);
        WriteUInt32(publicKey, 4, CalgSha1);
        WriteUInt32(publicKey, 8, (uint)(20 + modulusLength));
        publicKey[12] = PublicKeyBlob;
        publicKey[13] = 0x02;
        WriteUInt32(publicKey, 16, CalgRsaSign);
        WriteUInt32(publicKey, 20, 0x31415352); // "RSA1"
        WriteUInt32(publicKey, 24, (uint)bitLength);
        Buffer.BlockCopy(blob, 16, publicKey, 28, 4); // public exponent
        Buffer.BlockCopy(blob, 20, publicKey, 32, modulusLength);
        return new StrongNameKey(blob, publicKey);
    }

    /// <summary>Whether this key signs for <paramref name="assemblyPublicKey"/> (same RSA modulus and exponent).</summary>
    public bool Matches(byte[] assemblyPublicKey) =>
        TryRsaPart(assemblyPublicKey, out var theirs) && TryRsaPart(PublicKey, out var ours) && theirs.SequenceEqual(ours);

    /// <summary>Whether an assembly public key asks for SHA-1 signatures, the only kind Cecil writes.</summary>
    public static bool UsesSha1(byte[] assemblyPublicKey) =>
        assemblyPublicKey.Length >= 12 && ReadUInt32(assemblyPublicKey, 4) == CalgSha1;

    /// <summary>Exponent and modulus of an assembly public key (everything after the bit length).</summary>
    static bool TryRsaPart(byte[] publicKey, out byte[] part)
    {
        part = Array.Empty<byte>();
        if (publicKey.Length < 32 || publicKey[12] != PublicKeyBlob) return false;
        part = new byte[publicKey.Length - 28];
        Buffer.BlockCopy(publicKey, 28, part, 0, part.Length);
        return true;
    }

    static uint ReadUInt32(byte[] bytes, int offset) =>
        (uint)(bytes[offset] | bytes[offset + 1] << 8 | bytes[offset + 2] << 16 | bytes[offset + 3] << 24);

    static void WriteUInt32(byte[] bytes, int offset, uint value)
    {
        bytes[offset] = (byte)value;
        bytes[offset + 1] = (byte)(value >> 8);
        bytes[offset + 2] = (byte)(value >> 16);
        bytes[offset + 3] = (byte)(value >> 24);
    }
}

