using System;
using System.Collections.Generic;

namespace Trapweave.Fody.Core;

/// <summary>What <see cref="AssemblyFileWeaver.WeaveFile"/> did to a file.</summary>
public enum FileWeaveOutcome
{
    /// <summary>The file (and its PDB) were replaced by the woven version.</summary>
    Woven,
    /// <summary>The file was woven before: it is left byte for byte as it was.</summary>
    AlreadyWoven,
    /// <summary>Nothing to weave (the runtime itself, or <c>[assembly: NoTrap]</c>): the file is left as it was.</summary>
    NotWoven,
}

/// <summary>How debug symbols were carried over.</summary>
public enum SymbolKind
{
    /// <summary>No symbols were found (or they could not be read): none are written.</summary>
    None,
    /// <summary>A portable PDB beside the assembly: rewritten in place.</summary>
    Portable,
    /// <summary>A portable PDB embedded in the assembly: embedded again.</summary>
    Embedded,
    /// <summary>A Windows (native) PDB beside the assembly: read, and written back as a portable PDB.</summary>
    Native,
}

/// <summary>What happened to the assembly's strong name.</summary>
public enum StrongNameOutcome
{
    /// <summary>The assembly has no public key.</summary>
    NotSigned,
    /// <summary>Re-signed with the given key: the signature is valid.</summary>
    Resigned,
    /// <summary>The public key (and so the identity) is kept but the signature is not renewed; .NET does not verify it.</summary>
    PublicKeyKept,
}

/// <summary>The result of weaving one assembly file.</summary>
public sealed class FileWeaveResult
{
    public FileWeaveResult(string assemblyPath, FileWeaveOutcome outcome, int trappedMethods, SymbolKind symbols, StrongNameOutcome strongName, TimeSpan elapsed)
    {
        AssemblyPath = assemblyPath;
        Outcome = outcome;
        TrappedMethods = trappedMethods;
        Symbols = symbols;
        StrongName = strongName;
        Elapsed = elapsed;
    }

    public string AssemblyPath { get; }
    public FileWeaveOutcome Outcome { get; }
    /// <summary>Methods given a trap prologue (0 unless <see cref="Outcome"/> is <see cref="FileWeaveOutcome.Woven"/>).</summary>
    public int TrappedMethods { get; }
    /// <summary>The symbols found beside or inside the input; when woven, the same kind was written (native becomes portable).</summary>
    public SymbolKind Symbols { get; }
    public StrongNameOutcome StrongName { get; }
    /// <summary>Wall time for reading, weaving and writing.</summary>
    public TimeSpan Elapsed { get; }
    /// <summary>Call sites routed through redirect stubs.</summary>
    public int RedirectedCallSites { get; set; }
    /// <summary>Redirect stubs made (one per member and call kind; each is two methods).</summary>
    public int RedirectedMembers { get; set; }

    /// <summary>Methods left untrapped (including those without a body), counted by the reason; empty unless woven.</summary>
    public IReadOnlyDictionary<string, int> SkippedByReason { get; set; } = new Dictionary<string, int>();

    /// <summary>What the build log says: "12 methods trapped", plus ", 3 call sites redirected" when any were.</summary>
    public string Summary =>
        $"{TrappedMethods} methods trapped" + (RedirectedCallSites == 0 ? "" : $", {RedirectedCallSites} call site{(RedirectedCallSites == 1 ? "" : "s")} redirected");

    public override string ToString() =>
        $"{AssemblyPath}: {Outcome}, {TrappedMethods} methods trapped, {RedirectedCallSites} call sites redirected to {RedirectedMembers} members, symbols {Symbols}, strong name {StrongName}, {Elapsed.TotalMilliseconds:F0} ms";
}
