using BitRom.Hardware.Components;
using BitRom.Hardware.Dram;
using Xunit;

namespace BitRom.Tests.Edram;

/// <summary>KV placement and byte counts of the DR eDRAM against hand-computed small cases.</summary>
public class DrEdramTests
{
    /// <summary>The <c>tiny</c> preset's KV shape: 2 layers, 2 kv heads of 16 → 128-byte entries at 16 bits.</summary>
    private static readonly KvShape Tiny = new(Layers: 2, KvHeads: 2, HeadDim: 16);

    private static DrEdramConfig Config(long capacity, KvPlacementPolicy policy = KvPlacementPolicy.Recent, int rowBytes = 128) =>
        new() { CapacityBytes = capacity, RowBytes = rowBytes, Banks = 2, Policy = policy };

    [Fact]
    public void EntryBytes_TinyShape_MatchesHandCount()
    {
        Assert.Equal(128, Tiny.EntryBytes(16, 2));          // 2 (K, V) · 32 values · 2 bytes
        Assert.Equal(72, Tiny.EntryBytes(8, 2));            // 2 · (32 values + 2 heads · 2-byte scale)
        // Falcon3-1B: 18 layers · 2 · 4 · 256 values = 72 KiB per token at 16 bits (PAPER-NOTES.md §5)
        Assert.Equal(72 * 1024, 18 * new KvShape(18, 4, 256).EntryBytes(16, 2));
    }

    [Fact]
    public void RecentWindowOfTwo_FiveSteps_MatchesHandCountedBytes()
    {
        // capacity 512 B = 2 layers · 2 slots of 128 B. Per layer, step p reads min(p,2) entries on die and p − min(p,2)
        // from DRAM, writes its entry on die and, from p = 2 on, evicts the oldest to DRAM:
        // eDRAM reads 0+1+2+2+2 = 7, DRAM reads 0+0+0+1+2 = 3, eDRAM writes 5, DRAM writes 3.
        var session = KvSession.Single(Tiny, prompt: 3, decode: 2, tokenPeriodSeconds: 1e-3);
        DrEdramCounts c = DrEdram.Simulate(Config(512), session).Counts;
        Assert.Equal(2 * 7 * 128, c.EdramReadBytes);
        Assert.Equal(2 * 3 * 128, c.SpillReadBytes);
        Assert.Equal(2 * 5 * 128, c.EdramWriteBytes);
        Assert.Equal(2 * 3 * 128, c.SpillWriteBytes);
        Assert.Equal(2 * 2 * 128, c.KvOnDieBytes);
        Assert.Equal(2 * 3 * 128, c.KvSpilledBytes);
        // one entry per 128-byte row: live rows read per step 0, 2, 4, 4, 4; two rows written per step
        Assert.Equal(14, c.RowReads);
        Assert.Equal(10, c.RowWrites);
        Assert.Equal(0, c.RefreshesIssued);
        Assert.Equal(24, c.BankActivations.Sum());
    }

    [Fact]
    public void RecentWindowOfTwo_FiveSteps_DramTrafficByPhase()
    {
        var w = Workload(Tiny, prompt: 3, decode: 2);
        DramComparison cmp = DramTrafficModel.Compare(w, Config(512));
        // prefill p = 0..2: with eDRAM only the eviction at p = 2 goes out; baseline reads 0+1+2 and writes 3 per layer
        Assert.Equal(0, cmp.WithEdram.Prefill.KvReadBytes);
        Assert.Equal(2 * 1 * 128, cmp.WithEdram.Prefill.KvWriteBytes);
        Assert.Equal(2 * 3 * 128, cmp.Baseline.Prefill.KvReadBytes);
        Assert.Equal(2 * 3 * 128, cmp.Baseline.Prefill.KvWriteBytes);
        // decode p = 3, 4: with eDRAM reads 1+2, writes 2 per layer; baseline reads 3+4, writes 2
        Assert.Equal(2 * 3 * 128, cmp.WithEdram.Decode.KvReadBytes);
        Assert.Equal(2 * 2 * 128, cmp.WithEdram.Decode.KvWriteBytes);
        Assert.Equal(2 * 7 * 128, cmp.Baseline.Decode.KvReadBytes);
        Assert.Equal(2 * 2 * 128, cmp.Baseline.Decode.KvWriteBytes);
        Assert.Equal(100.0 * (1 - 1280.0 / 2304.0), cmp.DecodeReductionPercent, 12);
        Assert.Equal(2 * 128 * 5.0 / 2, cmp.WithEdram.Decode.BytesPerToken);
    }

    [Fact]
    public void LayersPolicy_TwoOfThreeLayersFit_ThirdLayerAllInDram()
    {
        // 4 planned positions · 128 B = 512 B per layer; 1,024 B hold two whole layers
        var shape = Tiny with { Layers = 3 };
        var layout = new DrEdramLayout(Config(1024, KvPlacementPolicy.Layers), shape, 4);
        Assert.Equal(2, layout.LayersOnDie);
        Assert.Equal(new KvStepBytes(2 * 3 * 128, 2 * 128, 3 * 128, 128), layout.Step(3));
        DrEdramCounts c = DrEdram.Simulate(Config(1024, KvPlacementPolicy.Layers), KvSession.Single(shape, 4, 0, 1e-3)).Counts;
        Assert.Equal((0 + 1 + 2 + 3) * 128, c.SpillReadBytes);
        Assert.Equal(4 * 128, c.SpillWriteBytes);
    }

    [Theory]
    [InlineData(KvPlacementPolicy.Recent, 0)]
    [InlineData(KvPlacementPolicy.Recent, 700)]
    [InlineData(KvPlacementPolicy.First, 700)]
    [InlineData(KvPlacementPolicy.Layers, 3000)]
    [InlineData(KvPlacementPolicy.First, 5000)]
    [InlineData(KvPlacementPolicy.Recent, 1 << 20)]
    public void EventSimulation_AgreesWithClosedFormSteps(KvPlacementPolicy policy, long capacity)
    {
        // 8-bit entries of 72 B straddle 100-byte rows, so rows and slots do not line up
        DrEdramConfig cfg = Config(capacity, policy, rowBytes: 100) with { KvBits = 8 };
        var session = new KvSession { Shape = Tiny, Requests = [new(5, 4), new(3, 6)], TokenPeriodSeconds = 2e-3, IdleSeconds = 0.05 };
        DrEdramReport r = DrEdram.Simulate(cfg, session);
        var sum = new KvStepBytes();
        for (int p = 0; p < session.Positions; p++) sum += r.Layout.Step(p);
        Assert.Equal(sum, new KvStepBytes(r.Counts.EdramReadBytes, r.Counts.EdramWriteBytes, r.Counts.SpillReadBytes, r.Counts.SpillWriteBytes));
        Assert.Equal(Tiny.Layers * session.Positions * 72L, r.Counts.KvOnDieBytes + r.Counts.KvSpilledBytes);
    }

    [Theory]
    [InlineData(KvPlacementPolicy.Recent)]
    [InlineData(KvPlacementPolicy.First)]
    [InlineData(KvPlacementPolicy.Layers)]
    public void CapacityZero_GivesZeroReduction(KvPlacementPolicy policy)
    {
        DramComparison cmp = DramTrafficModel.Compare(Workload(Tiny, 7, 9, WeightPlacement.Dram), Config(0, policy));
        Assert.Equal(cmp.Baseline, cmp.WithEdram);
        Assert.Equal(0.0, cmp.TotalReductionPercent);
        Assert.Equal(0.0, cmp.DecodeReductionPercent);
    }

    [Theory]
    [InlineData(KvPlacementPolicy.Recent, WeightPlacement.Dram)]
    [InlineData(KvPlacementPolicy.First, WeightPlacement.Sram)]
    [InlineData(KvPlacementPolicy.Layers, WeightPlacement.Dram)]
    [InlineData(KvPlacementPolicy.Recent, WeightPlacement.RomInt8)]
    public void UnboundedCapacity_RemovesExactlyTheKvShareOfTheBaseline(KvPlacementPolicy policy, WeightPlacement placement)
    {
        DramWorkload w = Workload(Tiny, 7, 9, placement) with { AdapterBytes = 1000, AdapterLoads = 2 };
        DramComparison cmp = DramTrafficModel.Compare(w, Config(long.MaxValue / 4, policy));
        long baseKv = cmp.Baseline.Prefill.KvBytes + cmp.Baseline.Decode.KvBytes;
        Assert.Equal(0, cmp.WithEdram.Prefill.KvBytes + cmp.WithEdram.Decode.KvBytes);
        Assert.Equal(cmp.Baseline.TotalBytes - baseKv, cmp.WithEdram.TotalBytes);
        Assert.Equal(100.0 * baseKv / cmp.Baseline.TotalBytes, cmp.TotalReductionPercent, 10);
    }

    [Fact]
    public void HeadInDram_StreamsTheHeadPerLogitsAndARowPerToken()
    {
        var shape = new DecoderTrafficShape { Kv = Tiny, Dim = 64, VocabSize = 320, TiedEmbeddings = true };
        var w = new DramWorkload { Shape = shape, Requests = [new(3, 2)], HeadPlacement = WeightPlacement.Dram };
        DramTraffic t = DramTrafficModel.Compare(w, Config(512)).WithEdram;
        Assert.Equal(320 * 64 * 2, t.Prefill.LmHeadBytes);       // once, after the prompt
        Assert.Equal(2 * 320 * 64 * 2, t.Decode.LmHeadBytes);    // once per decode step
        Assert.Equal(3 * 64 * 2, t.Prefill.EmbeddingBytes);
        Assert.Equal(2 * 64 * 2, t.Decode.EmbeddingBytes);
        DramTraffic rom = DramTrafficModel.Compare(w with { HeadPlacement = WeightPlacement.RomInt8 }, Config(512)).WithEdram;
        Assert.Equal(0, rom.Prefill.LmHeadBytes + rom.Prefill.EmbeddingBytes + rom.Decode.LmHeadBytes + rom.Decode.EmbeddingBytes);
    }

    [Fact]
    public void ContextCurve_EndsAgreeWithSteps_AndReductionFallsWithContext()
    {
        var shape = new DecoderTrafficShape { Kv = Tiny, Dim = 64, VocabSize = 320, TiedEmbeddings = true };
        var curve = DramTrafficModel.ContextCurve(shape, Config(512), WeightPlacement.RomInt8, DramTrafficModel.EvenContexts(100, 5));
        Assert.Equal([0, 25, 50, 75, 100], curve.Select(p => p.ContextLength));
        // context 100: baseline reads 100 and writes 1 entry per layer; with a window of 2: reads 98, writes 1 (eviction)
        Assert.Equal(2 * 101 * 128, curve[^1].BaselineBytesPerToken);
        Assert.Equal(2 * 99 * 128, curve[^1].EdramBytesPerToken);
        Assert.Equal(2 * 2 * 128, curve[^1].KvOnDieBytes);
        for (int i = 2; i < curve.Count; i++) Assert.True(curve[i].ReductionPercent < curve[i - 1].ReductionPercent);
    }

    [Fact]
    public void Config_InvalidField_IsRejectedByName()
    {
        Assert.Contains("KvBits", Assert.Throws<ArgumentException>(() => new DrEdramConfig { KvBits = 4 }.Validate()).Message);
        Assert.Contains("RetentionSeconds", Assert.Throws<ArgumentException>(() => new DrEdramConfig { RetentionSeconds = 0 }.Validate()).Message);
        Assert.Contains("CapacityBytes", Assert.Throws<ArgumentException>(() => new DrEdramConfig { CapacityBytes = -1 }.Validate()).Message);
        Assert.Equal(KvPlacementPolicy.Layers, DrEdramConfig.ParsePolicy("LAYERS"));
        Assert.Throws<ArgumentException>(() => DrEdramConfig.ParsePolicy("oldest"));
    }

    internal static DramWorkload Workload(KvShape kv, int prompt, int decode, WeightPlacement placement = WeightPlacement.RomInt8) => new()
    {
        Shape = new DecoderTrafficShape { Kv = kv, Dim = 64, VocabSize = 320, TiedEmbeddings = false },
        Requests = [new KvRequest(prompt, decode)],
        HeadPlacement = placement,
    };
}
