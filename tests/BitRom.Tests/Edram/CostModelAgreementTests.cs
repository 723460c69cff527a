using BitRom.Hardware.Components;
using BitRom.Hardware.Cost;
using Xunit;

namespace BitRom.Tests.Edram;

/// <summary>
/// The cost model's analytic KV placement (<see cref="KvPlacement"/>) and the DR eDRAM layout must move the same
/// bytes. They differ by design only in the 8-bit per-head scales, which the layout stores (2 B per head for K and V)
/// and the cost model leaves out; with <see cref="DrEdramConfig.ScaleBytesPerHead"/> = 0 they must agree exactly.
/// </summary>
public class CostModelAgreementTests
{
    /// <summary>The cost model splits bytes by a layer share in double arithmetic; integers agree to rounding.</summary>
    private const double RelativeTolerance = 1e-12;

    private static void Close(long exact, double analytic) =>
        Assert.True(Math.Abs(exact - analytic) <= RelativeTolerance * Math.Max(1, exact), $"{exact} vs {analytic}");

    [Theory]
    [InlineData(KvPlacementPolicy.Recent, KvPlacementPolicy.Recent, 16)]
    [InlineData(KvPlacementPolicy.First, KvPlacementPolicy.First, 16)]
    [InlineData(KvPlacementPolicy.Layers, KvPlacementPolicy.Layers, 16)]
    [InlineData(KvPlacementPolicy.Recent, KvPlacementPolicy.Recent, 8)]
    [InlineData(KvPlacementPolicy.Layers, KvPlacementPolicy.Layers, 8)]
    public void Falcon3_1B_EveryStep_SameBytesAsTheCostModel(KvPlacementPolicy ours, KvPlacementPolicy theirs, int kvBits)
    {
        const int positions = 600;
        var shape = new ModelShape("falcon3-1b-1.58bit", 18, 2048, 8, 4, 256, 8192, 131072, 1 / 3.0, false, false);
        var arch = new ChipArchitecture { EdramBytes = 8L << 20, Policy = theirs, KvBits = kvBits };
        var layout = new DrEdramLayout(new DrEdramConfig { CapacityBytes = 8L << 20, Policy = ours, KvBits = kvBits, ScaleBytesPerHead = 0 },
            new KvShape(18, 4, 256), positions);
        // 8 MiB: a window of 113 positions per layer, or 3 whole layers
        Assert.True(ours == KvPlacementPolicy.Layers ? layout.LayersOnDie is > 0 and < 18 : layout.SlotsPerLayer is > 0 and < positions);
        for (int p = 0; p < positions; p++)
        {
            KvStepBytes a = layout.Step(p);
            KvTraffic b = KvPlacement.Step(shape, arch, p, positions);
            Close(a.DramReadBytes, b.DramReadBytes);
            Close(a.DramWriteBytes, b.DramWriteBytes);
            Close(a.EdramReadBytes, b.EdramReadBytes);
            Close(a.EdramWriteBytes, b.EdramWriteBytes);
        }
    }
}
