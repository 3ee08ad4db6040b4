using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;

namespace Trapweave.Corpus;

/// <summary>Microsoft.Extensions.DependencyInjection: lifetimes, open generics, enumerables, factories, keyed services, scopes and disposal, validation errors.</summary>
static class DependencyInjectionWorkload
{
    public interface IClock { DateTime Now { get; } }
    public sealed class FixedClock : IClock { public DateTime Now => new(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc); }
    public interface IRepository<T> { string Describe(); }
    public sealed class Repository<T> : IRepository<T>
    {
        readonly IClock _clock;
        public Repository(IClock clock) => _clock = clock;
        public string Describe() => "repo of " + typeof(T).Name + " at " + _clock.Now.ToString("O");
    }
    public interface IPlugin { string Name { get; } }
    public sealed class PluginA : IPlugin { public string Name => "A"; }
    public sealed class PluginB : IPlugin { public string Name => "B"; }
    public sealed class Tracker : IDisposable
    {
        static int _created;
        public Tracker(List<string> log) { Id = ++_created; Log = log; }
        public int Id { get; }
        List<string> Log { get; }
        public void Dispose() => Log.Add("disposed tracker");
    }
    public sealed class NeedsMissing { public NeedsMissing(IComparable missing) { } }

    public static void Run(Results r)
    {
        var log = new List<string>();
        var services = new ServiceCollection()
            .AddSingleton<IClock, FixedClock>()
            .AddTransient(typeof(IRepository<>), typeof(Repository<>))
            .AddSingleton<IPlugin, PluginA>()
            .AddSingleton<IPlugin, PluginB>()
            .AddSingleton(log)
            .AddScoped<Tracker>()
            .AddKeyedSingleton<IPlugin, PluginB>("b")
            .AddTransient<NeedsMissing>();
        services.AddSingleton<Func<string, string>>(sp => s => s + "!" + sp.GetRequiredService<IClock>().Now.Year);

        using (var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }))
        {
            r.Add("open-generic", () => provider.GetRequiredService<IRepository<string>>().Describe() + "|" + provider.GetRequiredService<IRepository<int>>().Describe());
            r.Add("enumerable", () => provider.GetServices<IPlugin>().Select(p => p.Name));
            r.Add("last-wins", () => provider.GetRequiredService<IPlugin>().Name);
            r.Add("keyed", () => provider.GetRequiredKeyedService<IPlugin>("b").Name);
            r.Add("factory", () => provider.GetRequiredService<Func<string, string>>()("hi"));
            r.Add("singleton", () => ReferenceEquals(provider.GetService<IClock>(), provider.GetService<IClock>()));
            r.Add("scopes", () =>
            {
                int first, again, other;
                using (var scope = provider.CreateScope())
                {
                    first = scope.ServiceProvider.GetRequiredService<Tracker>().Id;
                    again = scope.ServiceProvider.GetRequiredService<Tracker>().Id;
                }
                using (var scope = provider.CreateScope()) other = scope.ServiceProvider.GetRequiredService<Tracker>().Id;
                return (first == again) + "|" + (first != other) + "|" + string.Join(",", log);
            });
            r.Add("scoped-from-root", () => provider.GetRequiredService<Tracker>());
            r.Add("missing", () => provider.GetRequiredService<NeedsMissing>());
            r.Add("activator", () => ActivatorUtilities.CreateInstance<Repository<double>>(provider).Describe());
        }
        r.Add("validate-on-build", () => services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }));
    }
}
