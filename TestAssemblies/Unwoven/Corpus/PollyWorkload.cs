using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Polly;
using Polly.CircuitBreaker;
using Polly.Fallback;
using Polly.Retry;

namespace Trapweave.Corpus;

/// <summary>Polly (Polly.Core): retries, a circuit breaker opening, rejecting, half-opening and closing on a fake clock, fallbacks, async pipelines.</summary>
static class PollyWorkload
{
    /// <summary>A clock that moves only when told: the breaker's timing is part of the result, never the machine's.</summary>
    sealed class ManualTime : TimeProvider
    {
        DateTimeOffset _now = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public void Advance(TimeSpan by) => _now += by;
        public override DateTimeOffset GetUtcNow() => _now;
        public override long GetTimestamp() => _now.UtcTicks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }

    public static void Run(Results r)
    {
        var log = new List<string>();
        var retry = new ResiliencePipelineBuilder { TimeProvider = new ManualTime() }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 4,
                Delay = TimeSpan.Zero,
                ShouldHandle = new PredicateBuilder().Handle<InvalidOperationException>(),
                OnRetry = args =>
                {
                    log.Add($"retry {args.AttemptNumber}: {args.Outcome.Exception?.Message}");
                    return default;
                },
            })
            .Build();
        var attempts = 0;
        r.Add("retry/succeeds", () => retry.Execute(() => ++attempts < 3 ? throw new InvalidOperationException("flaky " + attempts) : "done after " + attempts));
        r.Add("retry/gives-up", () => retry.Execute<string>(() => throw new InvalidOperationException("always")));
        r.Add("retry/unhandled", () => retry.Execute<string>(() => throw new ArgumentException("not retried")));
        r.Add("retry/log", () => log.ToArray());

        var results = new List<string>();
        var typed = new ResiliencePipelineBuilder<int>()
            .AddFallback(new FallbackStrategyOptions<int>
            {
                ShouldHandle = new PredicateBuilder<int>().HandleResult(-1).Handle<TimeoutException>(),
                FallbackAction = args => Outcome.FromResultAsValueTask(args.Outcome.Exception is null ? 0 : 404),
            })
            .AddRetry(new RetryStrategyOptions<int>
            {
                MaxRetryAttempts = 2,
                Delay = TimeSpan.Zero,
                ShouldHandle = new PredicateBuilder<int>().HandleResult(r => r < 0),
                OnRetry = args => { results.Add("retry on " + args.Outcome.Result); return default; },
            })
            .Build();
        var sequence = new Queue<int>(new[] { -5, 7, -1, -1, -1 });
        r.Add("typed/retried", () => typed.Execute(() => sequence.Dequeue()));
        r.Add("typed/fallback", () => typed.Execute(() => sequence.Dequeue()));
        r.Add("typed/fallback-exception", () => typed.Execute<int>(() => throw new TimeoutException()));
        r.Add("typed/log", () => results.ToArray());

        var time = new ManualTime();
        var transitions = new List<string>();
        var breaker = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(10),
                ShouldHandle = new PredicateBuilder().Handle<InvalidOperationException>(),
                OnOpened = args => { transitions.Add("opened for " + args.BreakDuration); return default; },
                OnHalfOpened = _ => { transitions.Add("half-open"); return default; },
                OnClosed = _ => { transitions.Add("closed"); return default; },
            })
            .Build();
        for (var i = 0; i < 6; i++)
        {
            var call = i;
            r.Add($"breaker/call-{call}", () => breaker.Execute(() => call % 2 == 0 ? "ok " + call : throw new InvalidOperationException("fail " + call)));
        }
        time.Advance(TimeSpan.FromSeconds(11));
        r.Add("breaker/after-break", () => breaker.Execute(() => "recovered"));
        r.Add("breaker/closed-again", () => breaker.Execute(() => "normal"));
        r.Add("breaker/transitions", () => transitions.ToArray());

        var asyncPipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.Zero })
            .Build();
        var asyncAttempts = 0;
        r.Add("async", () => asyncPipeline.ExecuteAsync(async token =>
        {
            await Task.Yield();
            if (++asyncAttempts < 2) throw new InvalidOperationException("async flaky");
            return "async done after " + asyncAttempts;
        }).AsTask().GetAwaiter().GetResult());
        r.Add("context", () =>
        {
            var key = new ResiliencePropertyKey<string>("who");
            var context = ResilienceContextPool.Shared.Get("operation-key");
            context.Properties.Set(key, "workload");
            try { return asyncPipeline.Execute(c => c.OperationKey + ":" + c.Properties.GetValue(key, "none"), context); }
            finally { ResilienceContextPool.Shared.Return(context); }
        });
    }
}
