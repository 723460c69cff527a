using BitRom.Hardware.Components;
using BitRom.Hardware.Cost;
using BitRom.Hardware.Tables;
using Xunit;

namespace BitRom.Tests.Cost;

/// <summary>Mapping, analytic counts, KV placement and area on hand-checkable shapes.</summary>
public class CounterAndAreaTests
{
    private const double Tol = 1e-6;

    private static readonly ChipArchitecture Chip = ChipArchitecture.Default;

    [Fact]
    public void Map_K2048N2048_ExtendsOutputs_OneMacro()
    {
        var m = MacroAllocation.Map(new LayerMatrix("w", 2048, 2048, "s"), Chip);
        Assert.Equal(PlaneAssignment.Outputs, m.Assignment);
        Assert.Equal(1, m.Macros);
        Assert.Equal(4096, m.CyclesPerToken);     // two phases of 2,048 rows
        Assert.Equal(1.0, m.Utilization(Chip), Tol);
    }

    [Fact]
    public void Map_K4096N1024_ExtendsInputs_OneMacro()
    {
        var m = MacroAllocation.Map(new LayerMatrix("w", 1024, 4096, "s"), Chip);
        Assert.Equal(PlaneAssignment.Inputs, m.Assignment);
        Assert.Equal(1, m.Macros);
        Assert.Equal(4096, m.CyclesPerToken);
        Assert.Equal(0, m.TreeDepth);
    }

    [Fact]
    public void Map_K23040N3072_NeedsAdderTree()
    {
        var m = MacroAllocation.Map(new LayerMatrix("down", 3072, 23040, "s"), Chip);
        Assert.Equal(6, m.MacrosIn);              // ceil(23040 / 4096)
        Assert.Equal(3, m.MacrosOut);
        Assert.Equal(3, m.TreeDepth);              // ceil(log2 6)
    }

    [Fact]
    public void AddMatrix_Counts_ReadWholePlanes_LikeTheCompiledChip()
    {
        var reads = new ActionCounts();
        var compute = new ActionCounts();
        var shape = new LayerMatrix("w", 1000, 100, "s");          // one block: 100 of 2,048 rows, 1,000 of 1,024 columns used
        var chip = Chip with { SkipPaddedRows = false };           // whole planes read
        AnalyticCounter.AddMatrix(reads, compute, MacroAllocation.Map(shape, chip), chip, zeroFraction: 0.25);
        const double cells = 2048.0 * 1024, real = 100 * 1000;
        Assert.Equal(cells, reads["biroma", "sense_zero"] + reads["biroma", "sense_pos"] + reads["biroma", "sense_neg"], Tol);
        Assert.Equal(real * 0.375, reads["biroma", "sense_pos"], Tol);
        Assert.Equal(real * 0.75, compute["trimla", "local_add"] + compute["trimla", "local_sub"], Tol);
        Assert.Equal(real * 0.25 + (cells - real), compute["trimla", "idle"], Tol);
        Assert.Equal(2048 / 16 * 1024, compute["trimla", "global_add"], Tol);
        Assert.Equal(2048, reads["biroma", "wl"], Tol);
        Assert.Equal(2048 * 8, compute["broadcast", "bit"], Tol);
        Assert.Equal(0, compute["adder_tree", "add"], Tol);
    }

    private static readonly ModelShape Small = new("small", Layers: 2, Dim: 64, Heads: 4, KvHeads: 2, HeadDim: 16, HiddenDim: 128, Vocab: 100,
        ZeroFraction: 1.0 / 3, SubNorms: false, TiedEmbeddings: false);

    [Fact]
    public void KvStep_WithoutEdram_ReadsEveryPriorTokenFromDram()
    {
        double tok = Small.KvBytesPerToken(16);                  // 2 layers · 2 · 32 · 2 B = 256 B
        Assert.Equal(256, tok);
        KvStepBytes t = KvPlacement.Step(Small, Chip with { EdramBytes = 0 }, prior: 10, maxContext: 100);
        Assert.Equal(10 * tok, t.DramReadBytes);
        Assert.Equal(tok, t.DramWriteBytes);
        Assert.Equal(0, t.EdramReadBytes);
    }

    [Fact]
    public void KvStep_RecentWindow_SpillsOldest()
    {
        var chip = Chip with { EdramBytes = 4 * 256 };          // window of 4 tokens
        Assert.Equal(4, KvPlacement.WindowTokens(Small, chip));
        KvStepBytes t = KvPlacement.Step(Small, chip, prior: 10, maxContext: 100);
        Assert.Equal(4 * 256, t.EdramReadBytes);
        Assert.Equal(6 * 256, t.DramReadBytes);
        Assert.Equal(256, t.DramWriteBytes);                    // eviction of the oldest on-die token
        KvStepBytes early = KvPlacement.Step(Small, chip, prior: 2, maxContext: 100);
        Assert.Equal(0, early.DramReadBytes + early.DramWriteBytes);
    }

    [Fact]
    public void Area_Cell_Is0104um2_AndArrayDensityNear4800kB()
    {
        TechnologyTable t = TechnologyLoader.Load();
        Assert.Equal(0.104, AreaModel.CellSquareMicrons(t), Tol);
        ChipCost c = ChipEvaluator.Evaluate(Small, Chip, new Workload(8, 8));
        Assert.Equal(4 / 0.104 * 1e6 / 8 / 1000, c.Metrics.ArrayDensityKBPerMm2, 1e-6);   // 4,807.7 kB/mm²
        Assert.Equal(c.Metrics.ArrayDensityKBPerMm2 * 8, c.Metrics.ArrayDensityKbPerMm2, 1e-6);
        Assert.True(c.Metrics.MacroDensityKBPerMm2 < c.Metrics.ArrayDensityKBPerMm2);
    }

    [Fact]
    public void Area_Lines_SumToTotal_AndIncludeEveryUnit()
    {
        ChipCost c = ChipEvaluator.Evaluate(Small, Chip, new Workload(8, 8));
        Assert.Equal(c.Area.Lines.Sum(l => l.SquareMicrons) * 1e-6, c.Area.TotalSquareMillimetres, 1e-12);
        foreach (string comp in new[] { "biroma", "trimla", "edram", "lora", "vector_unit", "attention", "controller" })
            Assert.True(c.Area.SquareMillimetres(comp) > 0, comp);
        Assert.True(c.Area.StaticMicroWatts.Values.Sum() > 0);
    }

    [Fact]
    public void Conventional_HasQuarterArrayDensity_AndMoreMacros()
    {
        ChipCost b = ChipEvaluator.Evaluate(Small, Chip, new Workload(8, 8));
        ChipCost c = ChipEvaluator.Evaluate(Small, Baselines.ConventionalCiRom(Chip), new Workload(8, 8));
        Assert.Equal(4, b.Metrics.ArrayDensityKBPerMm2 / c.Metrics.ArrayDensityKBPerMm2, 1e-9);
        Assert.True(c.Decode.Counts["biroma", "bit_read"] > 0);
    }
}
