using BitRom.Model.Inference;
using Xunit;

namespace BitRom.Tests.Kernels;

/// <summary>The paired statistics of <c>bitrom bench</c>: hand-computed cases.</summary>
public class ThroughputStatsTests
{
    [Fact]
    public void PairedRatios_DivideRunByRun()
    {
        Spread s = ThroughputBenchmark.PairedRatios([30, 20, 24], [20, 20, 30]);
        Assert.Equal(1.0, s.Median, 12);
        Assert.Equal(0.8, s.Min, 12);
        Assert.Equal(1.5, s.Max, 12);
        Assert.Throws<ArgumentException>(() => ThroughputBenchmark.PairedRatios([1, 2], [1]));
    }

    [Fact]
    public void PairedFractions_UseTheMeanOfThePassesAroundEachRun()
    {
        // 1 GB per token; run 0 between 40 and 60 GB/s (limit 50 tok/s), run 1 between 60 and 20 (limit 40 tok/s)
        ThroughputSample[] runs = [new(8, 1, 40, 1), new(8, 1, 36, 1)];
        Spread s = ThroughputBenchmark.PairedFractions(runs, [40e9, 60e9, 20e9], 1_000_000_000);
        Assert.Equal(0.8, s.Min, 12);
        Assert.Equal(0.9, s.Max, 12);
        Assert.Equal(0.85, s.Median, 12);
        Assert.Throws<ArgumentException>(() => ThroughputBenchmark.PairedFractions(runs, [40e9, 60e9], 1_000_000_000));
    }
}
