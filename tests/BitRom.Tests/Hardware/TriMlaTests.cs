using BitRom.Hardware.Components;
using BitRom.Hardware.Simulation;
using BitRom.Numerics.Kernels;
using BitRom.Numerics.Ternary;
using Xunit;

namespace BitRom.Tests.Hardware;

public class TriMlaTests
{
    // One column of 16 word lines, groups of 4: local sums of 4 · 100 = 400 overflow 8 bits (range [−128, 127]).
    private static ChipConfig Narrow(OverflowPolicy policy, int localBits = 8, int globalBits = 24) => new ChipConfig
    {
        Name = "narrow", ArrayRows = 16, ArrayCols = 1, GroupRows = 4, LocalBits = localBits, GlobalBits = globalBits, Overflow = policy,
    }.Validate();

    private static readonly sbyte[] Weights = Enumerable.Repeat((sbyte)1, 16).ToArray();
    private static readonly sbyte[] Inputs = [100, 100, 100, 100, 50, 50, -20, 3, -100, -100, -100, -100, 127, 127, 0, 1];
    private static readonly TernaryMatrix W = TernaryMatrix.FromTrits("blk.7.ffn_up", 1, 16, Weights, 1f);

    private static int Run(ChipConfig config, IMatmulBackend? backend = null)
    {
        backend ??= new ChipExactBackend(config, ReferenceBackend.Instance);
        var acc = new int[1];
        backend.Ternary(W, Inputs, 1, acc);
        return acc[0];
    }

    private static long Wrap(long v, int bits) => ((v + (1L << (bits - 1))) % (1L << bits) + (1L << bits)) % (1L << bits) - (1L << (bits - 1));

    [Fact]
    public void Wrap_NarrowLocal_EqualsHandWrappedSums()
    {
        // Wrap after every add is the same as wrapping each running value; compute by hand the slow way.
        long global = 0;
        for (int g = 0; g < 4; g++)
        {
            long local = 0;
            for (int r = 4 * g; r < 4 * g + 4; r++) local = Wrap(local + Inputs[r], 8);
            global = Wrap(global + local, 24);
        }
        Assert.Equal(global, Run(Narrow(OverflowPolicy.Wrap)));
        Assert.NotEqual(Inputs.Sum(v => (int)v), Run(Narrow(OverflowPolicy.Wrap)));
    }

    [Fact]
    public void Wrap_NarrowGlobal_EqualsHandWrappedSums()
    {
        long global = 0;
        for (int g = 0; g < 4; g++)
        {
            long local = 0;
            for (int r = 4 * g; r < 4 * g + 4; r++) local += Inputs[r];
            global = Wrap(global + local, 9);
        }
        Assert.Equal(global, Run(Narrow(OverflowPolicy.Wrap, localBits: 12, globalBits: 9)));
    }

    [Fact]
    public void Saturate_NarrowLocal_ClampsEachAdd()
    {
        long global = 0, overflows = 0, maxSeen = long.MinValue;
        for (int g = 0; g < 4; g++)
        {
            long local = 0;
            for (int r = 4 * g; r < 4 * g + 4; r++)
            {
                long v = local + Inputs[r];
                maxSeen = Math.Max(maxSeen, v);
                if (v is > 127 or < -128) overflows++;
                local = Math.Clamp(v, -128, 127);
            }
            global += local;
        }
        var chip = new ChipExactBackend(Narrow(OverflowPolicy.Saturate), ReferenceBackend.Instance);
        Assert.Equal(global, Run(Narrow(OverflowPolicy.Saturate), chip));
        EventCounts e = chip.Stats.Total();
        Assert.Equal(overflows, e[ChipEvent.LocalOverflow]);
        Assert.Equal(8, overflows); // 3 in group 0 (200, 227, 227), 3 in group 2, 2 in group 3 (254, 128)
        Assert.Equal(maxSeen, chip.Stats.For(W.Name).Local.Max);
    }

    [Fact]
    public void Error_NarrowLocal_NamesMatrixAndRowGroup()
    {
        var e = Assert.Throws<TriMlaOverflowException>(() => Run(Narrow(OverflowPolicy.Error)));
        Assert.Contains("blk.7.ffn_up", e.Message);
        Assert.Contains("row group 0", e.Message);
        Assert.Contains("macro 0", e.Message);
        Assert.Contains("column 0", e.Message);
    }

    [Fact]
    public void ChipBackend_NarrowSettings_FallsBackToExact()
    {
        ChipConfig config = Narrow(OverflowPolicy.Wrap);
        var chip = new ChipBackend(config, ReferenceBackend.Instance);
        Assert.Equal(Run(config), Run(config, chip));
        Assert.Equal(1, chip.ExactCalls);
        Assert.Equal(0, chip.FastCalls);
    }

    [Fact]
    public void DefaultWidths_Int8Activations_CannotOverflow()
    {
        var t = new TriMla(ChipConfig.Default);
        Assert.True(t.CannotOverflow(8192, 4096, 127));
        Assert.False(t.CannotOverflow(8192, 4096, 128)); // 16 · 128 = 2,048 > 2,047: the one int8 corner case
    }
}
