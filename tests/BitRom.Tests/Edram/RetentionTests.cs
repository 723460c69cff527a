using BitRom.Hardware.Components;
using Xunit;

namespace BitRom.Tests.Edram;

/// <summary>Decode refresh, explicit refresh and retention failures, probed on both sides of t_ret (STYLE.md §2.6).</summary>
public class RetentionTests
{
    /// <summary>One layer, one 64-wide head: a 256-byte entry fills one 256-byte row, so live rows = cached positions.</summary>
    private static readonly KvShape OneRowPerEntry = new(Layers: 1, KvHeads: 1, HeadDim: 64);

    private static readonly DrEdramConfig Cfg = new() { CapacityBytes = 1 << 20, RowBytes = 256, RetentionSeconds = 10e-3 };

    [Fact]
    public void TokenPeriodBelowRetention_LongDecode_IssuesNoRefresh()
    {
        // 2,000 decode steps at 5 ms over rows that live up to 10 s: reads alone keep every row
        var tiny = new KvShape(2, 2, 16);
        DrEdramReport r = DrEdram.Simulate(DrEdramConfig.Default, KvSession.Single(tiny, 16, 2000, 5e-3));
        Assert.Equal(0, r.Counts.RefreshesIssued);
        Assert.True(r.Counts.RefreshesAvoided > 100_000, r.Counts.RefreshesAvoided.ToString());
        Assert.Equal(r.Counts.PeriodicRefreshBaseline, r.Counts.RefreshesAvoided);
        Assert.True(r.Thresholds.DecodeRefreshSuffices);
    }

    [Theory]
    [InlineData(10_000_000, 0)]      // period = t_ret: the read arrives just in time
    [InlineData(10_000_001, 10)]     // 1 ns late: one refresh per live row per step, live rows 0+1+2+3+4
    [InlineData(20_000_000, 10)]     // 2 t_ret: refresh at t_ret, read at 2 t_ret
    [InlineData(25_000_000, 20)]     // 2.5 t_ret: ceil(2.5) − 1 = 2 per live row per step
    public void TokenPeriodAroundRetention_IssuesHandCountedRefreshes(long periodNs, long expected)
    {
        DrEdramReport r = DrEdram.Simulate(Cfg, KvSession.Single(OneRowPerEntry, 0, 5, periodNs / 1e9));
        Assert.Equal(expected, r.Counts.RefreshesIssued);
        Assert.Equal(expected == 0, r.Thresholds.DecodeRefreshSuffices);
        Assert.Equal(10e-3, r.Thresholds.NoRefreshTokenPeriodSeconds);
    }

    [Fact]
    public void IdleGapBetweenRequests_AddsHandCountedRefreshes()
    {
        // requests (2 prompt + 2 decode) twice at 1 ms per token, 100 ms idle between: steps at 0,1,2,3 ms, then
        // 104..107 ms. The first read after the idle comes 101 ms after the last: ceil(10.1) − 1 = 10 refreshes for
        // each of the 4 live rows. Periodic baseline: rows 0..3 live 108 − {0,1,2,3} ms → 10 each; rows 4..7 < 10 ms.
        var s = new KvSession { Shape = OneRowPerEntry, Requests = [new(2, 2), new(2, 2)], TokenPeriodSeconds = 1e-3, IdleSeconds = 0.1 };
        DrEdramReport r = DrEdram.Simulate(Cfg, s);
        Assert.Equal(40, r.Counts.RefreshesIssued);
        Assert.Equal(40, r.Counts.PeriodicRefreshBaseline);
        Assert.Equal(0, r.Counts.RefreshesAvoided);
        Assert.Equal(9e-3, r.Thresholds.MaxIdleSecondsWithoutRefresh, 12);
        Assert.Equal(0.101, r.Thresholds.LongestStepGapSeconds, 12);

        // an idle gap of exactly t_ret − period needs none
        DrEdramReport ok = DrEdram.Simulate(Cfg, s with { IdleSeconds = 9e-3 });
        Assert.Equal(0, ok.Counts.RefreshesIssued);
        Assert.True(ok.Thresholds.DecodeRefreshSuffices);
    }

    [Fact]
    public void NoExplicitRefresh_LateReads_CountViolations_AndFlipEveryBitAtProbabilityOne()
    {
        DrEdramConfig cfg = Cfg with { ExplicitRefresh = false, RetentionFailureProbability = 1 };
        var edram = new DrEdram(cfg, OneRowPerEntry, 5);
        var flips = new List<KvRetentionFlip>();
        for (int p = 0; p < 5; p++) flips.AddRange(edram.Step(p * 25_000_000L));
        edram.Finish(5 * 25_000_000L);
        Assert.Equal(0, edram.Counts.RefreshesIssued);
        Assert.Equal(10, edram.Counts.RetentionViolations);
        // each violation: a 256-byte row = K (64 values · 16 bits) + V (64 · 16)
        Assert.Equal(10 * 2048, flips.Count);
        Assert.Equal(flips.Count, edram.Counts.BitFlips);
        Assert.Equal(4, flips.Count(f => f is { Layer: 0, Position: 0, IsValue: true, Element: 63, Bit: 15 }));
        Assert.All(flips, f => Assert.InRange(f.Bit, 0, 15));
    }

    [Fact]
    public void EightBitKv_FlipsSkipScaleBytes()
    {
        // 8-bit entry: 64 K codes + 2 scale bytes + 64 V codes + 2 scale bytes = 132 bytes in a 132-byte row
        DrEdramConfig cfg = Cfg with { RowBytes = 132, KvBits = 8, ExplicitRefresh = false, RetentionFailureProbability = 1 };
        var edram = new DrEdram(cfg, OneRowPerEntry, 2);
        edram.Step(0);
        IReadOnlyList<KvRetentionFlip> flips = edram.Step(20_000_000);
        Assert.Equal(2 * 64 * 8, flips.Count);
        Assert.All(flips, f => Assert.InRange(f.Element, 0, 63));
        Assert.All(flips, f => Assert.InRange(f.Bit, 0, 7));
    }

    [Fact]
    public void RetentionFlips_SameSeedSame_OtherSeedDiffers_NoneWithinRetention()
    {
        List<KvRetentionFlip> Run(ulong seed, long periodNs)
        {
            var edram = new DrEdram(Cfg with { ExplicitRefresh = false, RetentionFailureProbability = 0.01, Seed = seed }, OneRowPerEntry, 20);
            var all = new List<KvRetentionFlip>();
            for (int p = 0; p < 20; p++) all.AddRange(edram.Step(p * periodNs));
            return all;
        }
        Assert.Equal(Run(3, 30_000_000), Run(3, 30_000_000));
        Assert.NotEqual(Run(3, 30_000_000), Run(4, 30_000_000));
        Assert.NotEmpty(Run(3, 30_000_000));
        Assert.Empty(Run(3, 10_000_000));
    }

    [Fact]
    public void RetentionSweep_DecodeRefreshStopsWhereTRetFallsBelowTheTokenPeriod()
    {
        // 1 ms tokens, 5 decode steps over one-row entries: at t_ret ≥ 1 ms no refresh; at 0.3 ms each gap of 1 ms
        // needs ceil(1 / 0.3) − 1 = 3 refreshes per live row, live rows 0+1+2+3+4 = 10 → 30
        var points = DrEdram.RetentionSweep(Cfg, KvSession.Single(OneRowPerEntry, 0, 5, 1e-3), [10e-3, 1e-3, 0.3e-3]);
        Assert.Equal([0L, 0L, 30L], points.Select(p => p.RefreshesIssued));
        Assert.Equal([true, true, false], points.Select(p => p.DecodeRefreshSuffices));
    }
}
