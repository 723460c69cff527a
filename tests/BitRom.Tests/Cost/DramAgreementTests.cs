using BitRom.Hardware.Components;
using BitRom.Hardware.Cost;
using BitRom.Hardware.Dram;
using Xunit;

namespace BitRom.Tests.Cost;

/// <summary>The cost model's decode DRAM traffic equals the DR eDRAM helper's traffic model (DramTrafficModel) on the same request.</summary>
public class DramAgreementTests
{
    private static readonly ModelShape Falcon1B = new("falcon3-1b-1.58bit", 18, 2048, 8, 4, 256, 8192, 131072, 1.0 / 3, false, false);

    [Theory]
    [InlineData(64, 128, 8, KvPlacementPolicy.Recent)]
    [InlineData(256, 64, 16, KvPlacementPolicy.First)]
    [InlineData(100, 300, 16, KvPlacementPolicy.Layers)]
    public void DecodeDramBytes_EqualDramTrafficModel(int prompt, int gen, int kvBits, KvPlacementPolicy policy)
    {
        var arch = ChipArchitecture.Default with { KvBits = kvBits, Policy = policy };
        ChipCost cost = ChipEvaluator.Evaluate(Falcon1B, arch, new Workload(prompt, gen));
        var workload = new DramWorkload
        {
            Shape = new DecoderTrafficShape { Kv = new KvShape(Falcon1B.Layers, Falcon1B.KvHeads, Falcon1B.HeadDim), Dim = Falcon1B.Dim, VocabSize = Falcon1B.Vocab, TiedEmbeddings = false },
            Requests = [new KvRequest(prompt, gen)],
        };
        DramComparison theirs = DramTrafficModel.Compare(workload, KvPlacement.EdramConfig(arch));
        Assert.Equal(theirs.WithEdram.Decode.TotalBytes, cost.Decode.DramTotalBytes);
        Assert.Equal(theirs.Baseline.Decode.TotalBytes, cost.DecodeDramBytesWithoutEdram);
        Assert.Equal(-theirs.DecodeReductionPercent, cost.Metrics.DecodeDramChange * 100, 9);
    }
}
