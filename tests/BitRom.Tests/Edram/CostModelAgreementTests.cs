using BitRom.Hardware.Components;
using BitRom.Hardware.Cost;
using Xunit;

namespace BitRom.Tests.Edram;

/// <summary>
/// The cost model's KV placement (<see cref="KvPlacement"/>, an adapter onto the layout built from the chip
/// architecture) and a DR eDRAM layout configured directly must move the same bytes, 8-bit per-head scales included.
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
        var layout = new DrEdramLayout(new DrEdramConfig { CapacityBytes = 8L << 20, Policy = ours, KvBits = kvBits, ScaleBytesPerHead = DrEdramConfig.DefaultScaleBytesPerHead },
            new KvShape(18, 4, 256), positions);
        // 8 MiB: a window of 113 positions per layer, or 3 whole layers
        Assert.True(ours == KvPlacementPolicy.Layers ? layout.LayersOnDie is > 0 and < 18 : layout.SlotsPerLayer is > 0 and < positions);
        for (int p = 0; p < positions; p++)
        {
            KvStepBytes a = layout.Step(p);
            KvStepBytes b = KvPlacement.Step(shape, arch, p, positions);
            Close(a.DramReadBytes, b.DramReadBytes);
            Close(a.DramWriteBytes, b.DramWriteBytes);
            Close(a.EdramReadBytes, b.EdramReadBytes);
            Close(a.EdramWriteBytes, b.EdramWriteBytes);
        }
    }
}
