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
        var writer = new PrologueWriter(runtime);
        var selector = new MethodSelector(_config);
        var redirects = new RedirectSet(_config);
        var stubs = new RedirectStubFactory(module, table, handlers, writer);
        var redirector = new CallSiteRedirector(module, redirects, stubs);
        var scope = new RedirectScope(_config);

        foreach (var type in module.GetTypes().ToList())
        {
            var trapsType = selector.ShouldTrap(type);
            foreach (var method in type.Methods.ToList())
            {
                // Call sites first: the prologue then guards the redirected body as it would the original.
                if (!redirects.IsEmpty && scope.Covers(method)) Redirect(redirector, method);
                if (!trapsType || selector.Skip(method) is not null) continue;
                try
                {
                    var (handlerType, invoke) = handlers.For(method);
                    writer.Write(method, table.AddFlag(), handlerType, invoke);
                }
                catch (WeavingError error)
                {
                    _log.Warning(error.Message + " It is left untrapped.", method);
                }
            }
        }

        module.Types.Add(table.Type);
        RedirectedCallSites = redirector.CallSites;
        RedirectedMembers = stubs.StubCount;
        TrappedCount = table.FlagCount - stubs.StubCount;
        _log.Info($"Trapweave: trapped {TrappedCount} methods and redirected {RedirectedCallSites} call sites to {RedirectedMembers} external members in {module.Assembly.Name.Name}.");
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
