using BitRom.Hardware.Components;
using BitRom.Hardware.Cost;
using BitRom.Hardware.Simulation;
using BitRom.Numerics.Kernels;
using BitRom.Numerics.Ternary;
using Xunit;

namespace BitRom.Tests.Cost;

/// <summary>The analytic counter agrees with the cycle-stepping chip simulator (chip-exact) on small matrices.</summary>
public class ChipAgreementTests
{
    /// <summary>Counts are whole numbers on both sides when the trit split is exact; allow only float rounding.</summary>
    private const double Tol = 1e-6;

    // Shapes chosen so both plane assignments, several input blocks (adder tree) and padding all occur.
    [Theory]
    [InlineData(1200, 3000, true)]    // 2 x 2 blocks
    [InlineData(2100, 1500, true)]    // outputs span 3 blocks, inputs 1
    [InlineData(300, 4500, true)]     // inputs span 3 blocks: 2 macros along K, adder tree
    [InlineData(1200, 3000, false)]   // whole planes read, padding rows included
    [InlineData(300, 4500, false)]
    public void AnalyticCounts_EqualSimulatedCounts(int n, int k, bool skipPaddedRows)
    {
        // trits cycle -1, 0, +1 so each value is exactly one third (n·k divisible by 3)
        var trits = new sbyte[n * k];
        for (int i = 0; i < trits.Length; i++) trits[i] = (sbyte)(i % 3 - 1);
        TernaryMatrix w = TernaryMatrix.FromTrits("w", n, k, trits, 1f);
        var q = new sbyte[k];
        var rng = new Random(5);
        for (int i = 0; i < k; i++) q[i] = (sbyte)rng.Next(-128, 128);
        var chip = new ChipExactBackend(ChipConfig.Default with { SkipPaddedRows = skipPaddedRows }, ReferenceBackend.Instance);
        chip.Ternary(w, q, 1, new int[n]);
        ActionCounts simulated = ChipCountsAdapter.ToActionCounts(chip.Stats.Total(), 8);

        var arch = ChipArchitecture.Default with { SkipPaddedRows = skipPaddedRows };
        var reads = new ActionCounts();
        var compute = new ActionCounts();
        MacroAllocation alloc = MacroAllocation.Map(new LayerMatrix("w", n, k, "s"), arch);
        AnalyticCounter.AddMatrix(reads, compute, alloc, arch, zeroFraction: 1.0 / 3);
        ActionCounts analytic = reads.Add(compute);

        foreach (var (key, count) in simulated.Entries.Concat(analytic.Entries))
            Assert.True(Math.Abs(simulated[key.Component, key.Action] - analytic[key.Component, key.Action]) <= Tol * Math.Max(1, count),
                $"{key}: simulated {simulated[key.Component, key.Action]} vs analytic {analytic[key.Component, key.Action]}");
        Assert.Equal(chip.Stats.Total()[ChipEvent.LatencyCycles], alloc.CyclesPerToken);
    }

    [Fact]
    public void Architecture_OfSimulatorDefault_MatchesCostDefault_AndPricesItsCounts()
    {
        ChipArchitecture a = ChipCountsAdapter.Architecture(ChipConfig.Default);
        ChipArchitecture d = ChipArchitecture.Default;
        Assert.Equal((d.Rows, d.Cols, d.GroupRows, d.LocalBits, d.GlobalBits, d.ClockMHz, d.SkipPaddedRows), (a.Rows, a.Cols, a.GroupRows, a.LocalBits, a.GlobalBits, a.ClockMHz, a.SkipPaddedRows));
        var events = new Dictionary<string, long> { ["SenseReadFMinus"] = 10, ["LocalSub"] = 10, ["TernaryMac"] = 10, ["NotAnEvent"] = 5 };
        var (energy, macroPj, topsPerWatt) = ChipCountsAdapter.Energy(events, a);
        var table = EnergyTable.Derive(BitRom.Hardware.Tables.TechnologyLoader.Load(), a);
        double expected = 10 * (table.PicoJoules("biroma", "sense_neg") + table.PicoJoules("trimla", "local_sub"));
        Assert.Equal(expected, macroPj, 1e-9);
        Assert.Equal(expected, energy.DynamicPicoJoules, 1e-9);
        Assert.Equal(20 / expected, topsPerWatt, 1e-9);
    }
}
