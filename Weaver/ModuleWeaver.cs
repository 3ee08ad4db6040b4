using System.Collections.Generic;
using Fody;
using Mono.Cecil;
using Trapweave.Fody.Core;

namespace Trapweave.Fody;

/// <summary>The Fody add-in: weaves the project's own assembly when FodyWeavers.xml has &lt;Trapweave /&gt;.</summary>
public sealed class ModuleWeaver : BaseModuleWeaver
{
    public override void Execute()
    {
        if (TargetFramework.IsUnsupported(ModuleDefinition))
        {
            // Trapweave's build targets warn once for this target framework (TRAP010); its
            // configuration is checked by the builds of the supported ones.
            WriteInfo("Trapweave: built for a runtime before .NET 8; nothing is woven (TRAP010).");
            return;
        }
        var config = ReadConfig();
        if (!config.Self)
        {
            WriteInfo("Trapweave: Self=\"false\"; the project's own assembly is not woven.");
            return;
        }
        WeaveModule(config);
    }

    WeaverConfig ReadConfig()
    {
        try { return WeaverConfig.Parse(Config); }
        catch (ConfigException e) { throw new WeavingException("FodyWeavers.xml: " + e.Message); }
    }

    void WeaveModule(WeaverConfig config)
    {
        try { new TrapWeaver(config, new FodyLog(this)).Weave(ModuleDefinition); }
        catch (WeavingError e)
        {
            if (e.Method is not null) WriteError(e.Message, e.Method);
            else throw new WeavingException(e.Message);
        }
    }

    public override IEnumerable<string> GetAssembliesForScanning() => new[] { "netstandard", "mscorlib", "System.Runtime" };

    // The woven code calls the Trapweave runtime at run time: keep the reference.
    public override bool ShouldCleanReference => false;

    sealed class FodyLog : IWeaverLog
    {
        readonly ModuleWeaver _weaver;
        public FodyLog(ModuleWeaver weaver) => _weaver = weaver;
        public void Info(string message) => _weaver.WriteInfo(message);
        public void Warning(string message, MethodDefinition? method = null)
        {
            if (method is null) _weaver.WriteWarning(message);
            else _weaver.WriteWarning(message, method);
        }
        public void Error(string message, MethodDefinition? method = null)
        {
            if (method is null) _weaver.WriteError(message);
            else _weaver.WriteError(message, method);
        }
    }
}
