using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Trapweave;

namespace Benchmarks;

[NoTrap]
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--hit-loop")
        {
            HitLoop.Run(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10);
            return;
        }
        if (args.Length > 0 && args[0] == "--trace-loop")
        {
            TraceLoop.Run(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10);
            return;
        }
        var config = DefaultConfig.Instance
            .AddColumn(StatisticColumn.Median, StatisticColumn.Min)
            .AddColumn(new MedianRatioColumn(), new MedianDeltaColumn())
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(60));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}

/// <summary>Median / baseline's median: steadier than the mean ratio on a noisy 2-core machine.</summary>
[NoTrap]
public sealed class MedianRatioColumn : IColumn
{
    public string Id => nameof(MedianRatioColumn);
    public string ColumnName => "Ratio (median)";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Baseline;
    public int PriorityInCategory => 10;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Median of this benchmark / median of the baseline in the same run";
    public bool IsAvailable(Summary summary) => summary.HasBaselines();
    public bool IsDefault(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var (median, baseline) = Medians(summary, benchmarkCase);
        return median is null || baseline is null or 0 ? "?" : (median.Value / baseline.Value).ToString("0.00");
    }

    internal static (double? Median, double? Baseline) Medians(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase)
    {
        var baselineCase = summary.GetBaseline(summary.GetLogicalGroupKey(benchmarkCase));
        var mine = summary[benchmarkCase]?.ResultStatistics?.Median;
        var theirs = baselineCase is null ? null : summary[baselineCase]?.ResultStatistics?.Median;
        return (mine, theirs);
    }
}

/// <summary>Median minus the baseline's median, in nanoseconds: what the targets are stated in.</summary>
[NoTrap]
public sealed class MedianDeltaColumn : IColumn
{
    public string Id => nameof(MedianDeltaColumn);
    public string ColumnName => "Δ median vs baseline";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Baseline;
    public int PriorityInCategory => 11;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Median of this benchmark minus median of the baseline, same run";
    public bool IsAvailable(Summary summary) => summary.HasBaselines();
    public bool IsDefault(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var (median, baseline) = MedianRatioColumn.Medians(summary, benchmarkCase);
        if (median is null || baseline is null) return "?";
        var ns = median.Value - baseline.Value;
        return System.Math.Abs(ns) >= 1e6 ? $"{ns / 1e6:+0.0;-0.0} ms" : System.Math.Abs(ns) >= 1e3 ? $"{ns / 1e3:+0.00;-0.00} µs" : $"{ns:+0.00;-0.00} ns";
    }
}
