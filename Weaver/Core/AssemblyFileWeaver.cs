using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Mono.Cecil;

namespace Trapweave.Fody.Core;

/// <summary>
/// Weaves an assembly file in place: the post-compile MSBuild task's route (and the tests'), where
/// Fody's pipeline does not read and write the module. Symbols are carried over (portable, embedded
/// or none, as found), the strong name is kept (re-signed when a key pair is given), and the file is
/// replaced atomically: on any failure the assembly and its PDB are left exactly as they were.
/// </summary>
public static class AssemblyFileWeaver
{
    /// <summary>
    /// Weaves <paramref name="assemblyPath"/>. References, including the Trapweave runtime the woven
    /// module calls, are resolved in the assembly's own directory, then in <paramref name="searchDirectories"/>.
    /// A file woven before is left untouched, byte for byte. Throws <see cref="WeavingError"/> for
    /// problems to report to the user (unreadable file, runtime not found); nothing is written then.
    /// </summary>
    /// <param name="keyFile">A <c>.snk</c> key pair to re-sign a strong-named assembly with; without it the public key is kept unsigned.</param>
    public static FileWeaveResult WeaveFile(string assemblyPath, WeaverConfig config, IWeaverLog log, IEnumerable<string> searchDirectories, string? keyFile = null)
    {
        if (assemblyPath is null) throw new ArgumentNullException(nameof(assemblyPath));
        if (config is null) throw new ArgumentNullException(nameof(config));
        if (log is null) throw new ArgumentNullException(nameof(log));

        var watch = Stopwatch.StartNew();
        var path = Path.GetFullPath(assemblyPath);
        if (!File.Exists(path)) throw new WeavingError($"Cannot weave '{path}': the file does not exist.");

        using var resolver = new WeavingAssemblyResolver(new[] { Path.GetDirectoryName(path)! }.Concat(searchDirectories ?? Array.Empty<string>()));
        using var module = Read(path, resolver, log, out var symbols);
        var strongName = module.Assembly.Name.HasPublicKey ? StrongNameOutcome.PublicKeyKept : StrongNameOutcome.NotSigned;

        var alreadyWoven = TrapTableBuilder.IsPresent(module);
        var weaver = new TrapWeaver(config, log);
        if (!weaver.Weave(module))
        {
            log.Info($"Trapweave: '{path}' is left untouched.");
            return new FileWeaveResult(path, alreadyWoven ? FileWeaveOutcome.AlreadyWoven : FileWeaveOutcome.NotWoven, 0, symbols.Kind, strongName, watch.Elapsed);
        }

        strongName = Write(module, path, symbols, keyFile, log, strongName);

        log.Info($"Trapweave: wove '{path}' ({weaver.TrappedCount} methods, {weaver.RedirectedCallSites} call sites redirected, symbols: {symbols.Kind}, strong name: {strongName}) in {watch.ElapsedMilliseconds} ms.");
        return new FileWeaveResult(path, FileWeaveOutcome.Woven, weaver.TrappedCount, symbols.Kind, strongName, watch.Elapsed)
        {
            RedirectedCallSites = weaver.RedirectedCallSites,
            RedirectedMembers = weaver.RedirectedMembers,
            SkippedByReason = new SortedDictionary<string, int>(weaver.SkippedByReason.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// Applies <paramref name="rewrite"/> to the module in <paramref name="assemblyPath"/> and, when it
    /// returns true (it changed something), writes the file back the way <see cref="WeaveFile"/> does:
    /// symbols carried over, strong name kept or renewed, replaced atomically. Returns whether it wrote.
    /// </summary>
    public static bool RewriteFile(string assemblyPath, IWeaverLog log, IEnumerable<string> searchDirectories, string? keyFile, Func<ModuleDefinition, bool> rewrite)
    {
        if (assemblyPath is null) throw new ArgumentNullException(nameof(assemblyPath));
        if (rewrite is null) throw new ArgumentNullException(nameof(rewrite));
        var path = Path.GetFullPath(assemblyPath);
        if (!File.Exists(path)) throw new WeavingError($"Cannot rewrite '{path}': the file does not exist.");

        using var resolver = new WeavingAssemblyResolver(new[] { Path.GetDirectoryName(path)! }.Concat(searchDirectories ?? Array.Empty<string>()));
        using var module = Read(path, resolver, log, out var symbols);
        if (!rewrite(module)) return false;
        Write(module, path, symbols, keyFile, log, module.Assembly.Name.HasPublicKey ? StrongNameOutcome.PublicKeyKept : StrongNameOutcome.NotSigned);
        return true;
    }

    /// <summary>Writes <paramref name="module"/> over <paramref name="path"/> atomically; returns the strong-name outcome.</summary>
    static StrongNameOutcome Write(ModuleDefinition module, string path, ModuleSymbols symbols, string? keyFile, IWeaverLog log, StrongNameOutcome strongName)
    {
        var parameters = new WriterParameters { DeterministicMvid = true };
        var key = SigningKey(module, keyFile, log);
        if (key is not null)
        {
            parameters.StrongNameKeyBlob = key.KeyBlob;
            strongName = StrongNameOutcome.Resigned;
        }

        using (var staged = new StagedFiles())
        {
            var tempAssembly = staged.Stage(path);
            var pdbStream = symbols.ConfigureWriter(parameters, staged, path);
            try
            {
                module.Write(tempAssembly, parameters);
            }
            catch (Exception e) when (e is not WeavingError)
            {
                throw new WeavingError($"Trapweave: writing the woven '{path}' failed ({e.GetType().Name}: {e.Message}); the original is left as it was.", e);
            }
            finally
            {
                pdbStream?.Dispose();
            }
            try
            {
                staged.Commit();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new WeavingError($"Trapweave: could not replace '{path}' with its woven version ({e.Message}); the original is left as it was.", e);
            }
        }

        return strongName;
    }

    static ModuleDefinition Read(string path, IAssemblyResolver resolver, IWeaverLog log, out ModuleSymbols symbols)
    {
        try
        {
            return ModuleSymbols.ReadModule(path, resolver, log, out symbols);
        }
        catch (Exception e) when (e is BadImageFormatException or IOException or UnauthorizedAccessException)
        {
            throw new WeavingError($"Cannot weave '{path}': it could not be read as a .NET assembly ({e.Message}).", e);
        }
    }

    /// <summary>The key to re-sign with, or null to keep the public key as it is (with a message saying why).</summary>
    static StrongNameKey? SigningKey(ModuleDefinition module, string? keyFile, IWeaverLog log)
    {
        var name = module.Assembly.Name;
        if (!name.HasPublicKey)
        {
            if (keyFile is not null)
                log.Info($"Trapweave: {name.Name} is not strong-named; the key file '{keyFile}' is not used (signing would change its identity).");
            return null;
        }
        if (keyFile is null)
        {
            log.Info($"Trapweave: {name.Name} is strong-named and no key pair was given: its public key is kept and the signature is not renewed (.NET does not verify strong-name signatures).");
            return null;
        }

        var key = StrongNameKey.Read(keyFile, out var problem);
        if (key is not null && !key.Matches(name.PublicKey))
        {
            problem = $"the key in '{keyFile}' is not the one {name.Name} was signed with";
            key = null;
        }
        if (key is not null && !StrongNameKey.UsesSha1(name.PublicKey))
        {
            problem = $"{name.Name}'s public key asks for a signature hash other than SHA-1, which cannot be written";
            key = null;
        }
        if (key is null)
            log.Warning($"Trapweave: {name.Name} is not re-signed: {problem}. Its public key is kept; the signature is not valid (.NET does not verify strong-name signatures, .NET Framework would).");
        return key;
    }
}
