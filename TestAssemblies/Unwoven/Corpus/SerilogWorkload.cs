using System.Collections.Generic;
using System.IO;
using System.Linq;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Trapweave.Corpus;

/// <summary>Serilog: structured events through levels, enrichers, filters, destructuring and a text formatter, into a sink that keeps them.</summary>
static class SerilogWorkload
{
    sealed class KeepingSink : ILogEventSink
    {
        public List<LogEvent> Events { get; } = new();
        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }

    sealed class SequenceEnricher : ILogEventEnricher
    {
        int _next;
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory factory) => logEvent.AddPropertyIfAbsent(factory.CreateProperty("Seq", ++_next));
    }

    public static void Run(Results r)
    {
        var sink = new KeepingSink();
        var level = new LoggingLevelSwitch(LogEventLevel.Debug);
        using (var logger = new LoggerConfiguration()
            .MinimumLevel.ControlledBy(level)
            .Enrich.WithProperty("App", "corpus")
            .Enrich.With(new SequenceEnricher())
            .Filter.ByExcluding(e => e.MessageTemplate.Text.Contains("secret"))
            .Destructure.ByTransforming<Address>(a => new { a.City, Masked = "***" })
            .WriteTo.Sink(sink)
            .CreateLogger())
        {
            var catalog = Models.Catalog();
            logger.Verbose("never seen {Value}", 1);
            logger.Debug("debug {Count} items", catalog.Products.Count);
            logger.Information("catalog {Name} by {@Owner} at {Published:yyyy-MM-dd}", catalog.Name, catalog.Owner, catalog.Published);
            logger.Warning("address {@Address} stringified {$Product}", catalog.Products[0].Maker.Address, catalog.Products[0]);
            logger.ForContext("Source", "child").ForContext<Catalog>().Error(new System.InvalidOperationException("boom"), "failed {Sku} with {Price,8:F2}", "SKU-1", 12.5m);
            logger.Information("a secret {Password}", "hunter2");
            logger.Information("list {Items} and dictionary {Stock}", new[] { 1, 2, 3 }, catalog.Stock);
            level.MinimumLevel = LogEventLevel.Error;
            logger.Warning("filtered out by level");
            logger.Fatal("positional {0} {1}", "a", 2);
        }
        var formatter = new MessageTemplateTextFormatter("[{Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}");
        r.Add("count", () => sink.Events.Count);
        r.Add("rendered", () => sink.Events.Select(e =>
        {
            var text = new StringWriter();
            formatter.Format(e, text);
            return text.ToString();
        }).ToArray());
        r.Add("properties", () => sink.Events.Select(e => string.Join(";", e.Properties.OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Value))).ToArray());
        r.Add("templates", () => sink.Events.Select(e => e.Level + ":" + e.MessageTemplate.Text + ":" + string.Join(",", e.MessageTemplate.Tokens.Select(t => t.GetType().Name))).ToArray());
    }
}
