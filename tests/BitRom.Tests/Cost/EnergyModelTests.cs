using BitRom.Hardware.Cost;
using BitRom.Hardware.Tables;
using Xunit;

namespace BitRom.Tests.Cost;

/// <summary>Hand-computed cases: counts × table = expected pJ (Accelergy test style, STYLE.md §2.6).</summary>
public class EnergyModelTests
{
    /// <summary>Hand arithmetic below is written to 1e-9 pJ.</summary>
    private const double Tol = 1e-9;

    private static EnergyTable Default => EnergyTable.Derive(TechnologyLoader.Load(), ChipArchitecture.Default);

    // C_BL = 2048·0.26 µm·0.2 fF/µm + 2048/3·0.05 fF = 106.496 + 34.1333 = 140.6293 fF (VDD 1.0 V)
    private const double CblFf = 2048 * 0.26 * 0.2 + 2048 / 3.0 * 0.05;
    private const double Sense = 0.010;

    [Fact]
    public void BitLine_PerTritValue_IsCblTimesVddTimesSwing_PlusSense()
    {
        EnergyTable t = Default;
        Assert.Equal(CblFf * 1e-3 * 1.0 * 0.5 + Sense, t.PicoJoules("biroma", "sense_zero"), Tol);
        Assert.Equal(CblFf * 1e-3 * 1.0 * 0.75 + Sense, t.PicoJoules("biroma", "sense_pos"), Tol);
        Assert.Equal(CblFf * 1e-3 * 1.0 * 1.0 + Sense, t.PicoJoules("biroma", "sense_neg"), Tol);
        Assert.True(t.PicoJoules("biroma", "sense_zero") < t.PicoJoules("biroma", "sense_pos"));
    }

    [Fact]
    public void Evaluate_HandComputedCounts_GiveExpectedPicoJoules()
    {
        // 10 '-1' reads, 5 local adds (12-bit: Horowitz (0.03 + (0.05-0.03)·4/8) = 0.04 pJ x 1.783), 100 LPDDR4 bits at 8 pJ
        var counts = new ActionCounts().Add("biroma", "sense_neg", 10).Add("trimla", "local_add", 5).Add("dram", "bit", 100);
        double expected = 10 * (CblFf * 1e-3 + Sense) + 5 * 0.04 * 1.783 + 100 * 8;
        EnergyBreakdown e = EnergyModel.Evaluate(counts, Default);
        Assert.Equal(expected, e.DynamicPicoJoules, Tol);
        Assert.Equal(800, e.DynamicOf("dram"), Tol);
        Assert.Equal(0, e.StaticTotalPicoJoules);
    }

    [Fact]
    public void Evaluate_StaticPower_IsMicroWattsTimesSeconds()
    {
        var e = EnergyModel.Evaluate(new ActionCounts(), Default, new Dictionary<string, double> { ["biroma"] = 2.0 }, 0.5);
        Assert.Equal(2.0e-6 * 0.5 * 1e12, e.StaticTotalPicoJoules, Tol);   // 1 µJ = 1e6 pJ
    }

    [Fact]
    public void Evaluate_ActionWithoutEntry_Throws()
    {
        var counts = new ActionCounts().Add("biroma", "teleport", 1);
        var ex = Assert.Throws<KeyNotFoundException>(() => EnergyModel.Evaluate(counts, Default));
        Assert.Contains("biroma.teleport", ex.Message);
    }

    [Fact]
    public void ActionCounts_NegativeCount_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActionCounts().Add("a", "b", -1));
    }

    [Fact]
    public void Calibration_ScalesOnChipEnergies_NotDram()
    {
        EnergyTable one = Default, two = EnergyTable.Derive(TechnologyLoader.Load(), ChipArchitecture.Default, calibration: 2);
        Assert.Equal(2 * one.PicoJoules("trimla", "global_add"), two.PicoJoules("trimla", "global_add"), Tol);
        Assert.Equal(one.PicoJoules("dram", "bit"), two.PicoJoules("dram", "bit"));
        Assert.Equal(2, two.Calibration);
    }

    [Fact]
    public void DramType_SelectsRow_UnknownThrows()
    {
        var t = EnergyTable.Derive(TechnologyLoader.Load(), ChipArchitecture.Default with { DramType = "hbm2" });
        Assert.Equal(3.9, t.PicoJoules("dram", "bit"));
        Assert.Throws<ArgumentException>(() => EnergyTable.Derive(TechnologyLoader.Load(), ChipArchitecture.Default with { DramType = "sdr" }));
    }

    [Fact]
    public void ShorterBitLine_CostsLess()
    {
        var half = EnergyTable.Derive(TechnologyLoader.Load(), ChipArchitecture.Default with { Rows = 1024 });
        Assert.True(half.PicoJoules("biroma", "sense_neg") < Default.PicoJoules("biroma", "sense_neg"));
    }
}
