using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Trapweave.Fody.Redirect;

namespace Trapweave.Fody.Core;

/// <summary>
/// The weaver core shared by the Fody add-in and the MSBuild task: puts a trap prologue into every
/// selected method of a module.
/// </summary>
public sealed class TrapWeaver
{
    readonly WeaverConfig _config;
    readonly IWeaverLog _log;

    public TrapWeaver(WeaverConfig config, IWeaverLog log)
    {
        _config = config;
        _log = log;
    }

    /// <summary>Methods given a prologue by the last <see cref="Weave"/>.</summary>
    public int TrappedCount { get; private set; }

    /// <summary>Call sites routed through redirect stubs by the last <see cref="Weave"/>.</summary>
    public int RedirectedCallSites { get; private set; }

    /// <summary>Distinct members (per call kind) given redirect stubs by the last <see cref="Weave"/>.</summary>
    public int RedirectedMembers { get; private set; }

    /// <summary>Methods of the module left untrapped by the last <see cref="Weave"/>, counted by the reason (as <see cref="MethodSelector"/> words it).</summary>
    public IReadOnlyDictionary<string, int> SkippedByReason => _skipped;

    readonly SortedDictionary<string, int> _skipped = new(System.StringComparer.Ordinal);

    void CountSkipped(string reason) => _skipped[reason] = _skipped.TryGetValue(reason, out var count) ? count + 1 : 1;

    /// <summary>Weaves the module in memory. Returns false when there was nothing to do (already woven, or the runtime itself).</summary>
    public bool Weave(ModuleDefinition module)
    {
        if (module.Assembly.Name.Name == RuntimeReferences.RuntimeAssemblyName)
        {
            _log.Info("Trapweave: the runtime assembly itself is never woven.");
            return false;
        }
        if (TrapTableBuilder.IsPresent(module))
        {
            _log.Info($"Trapweave: {module.Assembly.Name.Name} is already woven; nothing to do.");
            return false;
        }
        if (module.Assembly.HasAttribute(CecilExtensions.NoTrapAttribute))
        {
            _log.Info($"Trapweave: {module.Assembly.Name.Name} is marked [assembly: NoTrap]; nothing woven.");
            return false;
        }

        var runtime = new RuntimeReferences(module);
        var table = new TrapTableBuilder(module);
        var handlers = new HandlerTypeFactory(module, runtime, table);
        var writer = new PrologueWriter();
        var selector = new MethodSelector(_config);
        var redirects = new RedirectSet(_config);
        var stubs = new RedirectStubFactory(module, table, handlers, writer);
        var redirector = new CallSiteRedirector(module, redirects, stubs);
        var scope = new RedirectScope(_config);
        var inlining = new InliningHint(module);

        _skipped.Clear();
        foreach (var type in module.GetTypes().ToList())
        {
            var typeSkip = selector.SkipType(type);
            foreach (var method in type.Methods.ToList())
            {
                var originalCodeSize = method.HasBody ? method.Body.CodeSize : 0;
                // Call sites first: the prologue then guards the redirected body as it would the original.
                if (!redirects.IsEmpty && scope.Covers(method)) Redirect(redirector, method);
                var skip = typeSkip ?? selector.Skip(method);
                if (skip is not null)
                {
                    CountSkipped(skip);
                    continue;
                }
                try
                {
                    var dispatcher = handlers.For(method);
                    writer.Write(method, table.AddFlag(), dispatcher);
                    if (inlining.Applies(method, originalCodeSize)) method.AggressiveInlining = true;
                }
                catch (WeavingError error)
                {
                    _log.Warning(error.Message + " It is left untrapped.", method);
                    CountSkipped("the weaver could not trap it (warning TRAP009)");
                }
            }
        }

        module.Types.Add(table.Type);
        if (EnvironmentTraceInitializer.Applies(module))
        {
            EnvironmentTraceInitializer.Add(module, runtime.Runtime, _config.TraceFromEnvironment);
            _log.Info($"Trapweave: {module.Assembly.Name.Name} is an app: its module initializer " +
                      (_config.TraceFromEnvironment ? "traces the process when TRAPWEAVE_TRACE is set (TraceFromEnvironment=\"true\")." : "says that TRAPWEAVE_TRACE is ignored (no TraceFromEnvironment=\"true\")."));
        }
        RedirectedCallSites = redirector.CallSites;
        RedirectedMembers = stubs.StubCount;
        TrappedCount = table.FlagCount - stubs.StubCount;
        _log.Info($"Trapweave: trapped {TrappedCount} methods ({handlers.ShapeCount} handler shapes) and redirected {RedirectedCallSites} call sites to {RedirectedMembers} external members in {module.Assembly.Name.Name}.");
        return true;
    }

    void Redirect(CallSiteRedirector redirector, MethodDefinition method)
    {
        try { redirector.Redirect(method); }
        catch (WeavingError error)
        {
            _log.Warning(error.Message + " Its calls are left as they are.", method);
        }
    }
}
