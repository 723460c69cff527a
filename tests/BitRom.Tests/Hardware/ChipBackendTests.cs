using BitRom.Hardware.Components;
using BitRom.Hardware.Mapping;
using BitRom.Hardware.Simulation;
using BitRom.Numerics.Kernels;
using BitRom.Numerics.Ternary;
using Xunit;

namespace BitRom.Tests.Hardware;

public class ChipBackendTests
{
    // (N, K): K and N not multiples of 64 / 32, K < 64, single blocks, many blocks, both plane assignments.
    public static TheoryData<int, int> AwkwardShapes => new()
    {
        { 1, 1 }, { 33, 65 }, { 31, 63 }, { 100, 200 }, { 32, 64 }, { 64, 64 }, { 17, 300 }, { 130, 40 },
    };

    [Theory]
    [MemberData(nameof(AwkwardShapes))]
    public void Ternary_AwkwardShapes_ChipExactEqualsChipEqualsReference(int n, int k)
    {
        TernaryMatrix w = ChipTestData.Matrix("blk.0.attn_q", n, k, n * 1000 + k);
        foreach (ChipConfig config in Configs())
        {
            const int tokens = 3;
            sbyte[] q = ChipTestData.Activations(tokens, k, k);
            var want = new int[tokens * n];
            TernaryGemm.Reference(w, q, tokens, want);
            var exact = new ChipExactBackend(config, ReferenceBackend.Instance);
            var chip = new ChipBackend(config, ReferenceBackend.Instance);
            var got = new int[tokens * n];
            exact.Ternary(w, q, tokens, got);
            Assert.Equal(want, got);
            got = new int[tokens * n];
            chip.Ternary(w, q, tokens, got);
            Assert.Equal(want, got);
            Assert.Equal(1, chip.FastCalls);
            AssertSameEvents(exact.Stats.Total(), chip.Stats.Total());
        }
    }

    private static IEnumerable<ChipConfig> Configs()
    {
        ChipConfig small = ChipTestData.Small();
        yield return small;
        yield return small with { Planes = PlaneAssignment.Outputs };
        yield return small with { SkipPaddedRows = false };
        yield return small with { ArrayRows = 30, ArrayCols = 20, GroupRows = 7 }; // rows not a multiple of 4: trit-by-trit stats
        yield return small with { Planes = PlaneAssignment.Inputs, TokensPerRead = 2, GroupRows = 5 };
    }

    internal static void AssertSameEvents(EventCounts exact, EventCounts analytic)
    {
        foreach (ChipEvent e in Enum.GetValues<ChipEvent>())
            Assert.True(exact[e] == analytic[e], $"{e}: exact {exact[e]}, analytic {analytic[e]}");
    }

    [Fact]
    public void Ternary_RomImageWithPacking_ExactMatchesReference()
    {
        TernaryMatrix[] ms = [ChipTestData.Matrix("a", 20, 50, 1), ChipTestData.Matrix("b", 30, 10, 2), ChipTestData.Matrix("c", 70, 130, 3)];
        ChipConfig config = ChipTestData.Small() with { Pack = true };
        RomImage image = RomImage.Compile(ms, config);
        Assert.Contains(image.Mapping.Macros, p => p.B is { } b && p.F is { } f && b.Matrix != f.Matrix);
        var exact = new ChipExactBackend(config, ReferenceBackend.Instance, image);
        var chip = new ChipBackend(config, ReferenceBackend.Instance, image);
        foreach (TernaryMatrix w in ms)
        {
            sbyte[] q = ChipTestData.Activations(2, w.Cols, w.Rows);
            var want = new int[2 * w.Rows];
            TernaryGemm.Reference(w, q, 2, want);
            var got = new int[2 * w.Rows];
            exact.Ternary(w, q, 2, got);
            Assert.Equal(want, got);
            chip.Ternary(w, q, 2, got);
            Assert.Equal(want, got);
        }
        AssertSameEvents(exact.Stats.Total(), chip.Stats.Total());
    }

    [Fact]
    public void Events_HandCountedSingleMacro_MatchExact()
    {
        // One 64 x 32 block: K = 64, N = 32, all +1 weights, 1 token; every count follows from the geometry.
        var trits = Enumerable.Repeat((sbyte)1, 32 * 64).ToArray();
        TernaryMatrix w = TernaryMatrix.FromTrits("w", 32, 64, trits, 1f);
        sbyte[] q = ChipTestData.Activations(1, 64, 5);
        var exact = new ChipExactBackend(ChipTestData.Small(), ReferenceBackend.Instance);
        exact.Ternary(w, q, 1, new int[32]);
        EventCounts e = exact.Stats.Total();
        Assert.Equal(64 * 32, e[ChipEvent.SenseReadFPlus]);
        Assert.Equal(0, e[ChipEvent.SenseReadBPlus] + e[ChipEvent.SenseReadBZero]); // plane B unused: not read
        Assert.Equal(64 * 32, e[ChipEvent.LocalAdd]);
        Assert.Equal(64 / 8 * 32, e[ChipEvent.GlobalAdd]);
        Assert.Equal(0, e[ChipEvent.AdderTreeAdd]);
        Assert.Equal(64, e[ChipEvent.LatencyCycles]);
        Assert.Equal(q.Count(v => v == 0) * 32, e[ChipEvent.ZeroOperandOp]);
    }

    [Theory]
    [InlineData(true, 10, 2)]   // only the 10 word lines holding inputs: groups of 8 → 2 global adds per column
    [InlineData(false, 64, 8)]  // every word line of the plane
    public void Events_EdgeBlock_SkipPaddedRowsReadsOnlyValidLines(bool skip, int lines, int groups)
    {
        TernaryMatrix w = ChipTestData.Matrix("w", 40, 10, 6); // 2 output blocks (32 + 8 columns), K = 10 < 64 rows
        var exact = new ChipExactBackend(ChipTestData.Small() with { SkipPaddedRows = skip, Planes = PlaneAssignment.Outputs }, ReferenceBackend.Instance);
        exact.Ternary(w, ChipTestData.Activations(1, 10, 6), 1, new int[40]);
        EventCounts e = exact.Stats.Total();
        Assert.Equal(2 * lines, e[ChipEvent.WordLineRead]);              // planes F and B of the one macro
        Assert.Equal(2 * lines, e[ChipEvent.LatencyCycles]);             // read one after the other
        Assert.Equal(2 * groups * 32, e[ChipEvent.GlobalAdd]);
        Assert.Equal(2 * lines * 32, e[ChipEvent.Idle] + e[ChipEvent.LocalAdd] + e[ChipEvent.LocalSub]);
    }

    [Fact]
    public void Dense_DelegatesToInner_CountsMacs()
    {
        var head = new BitRom.Numerics.Floats.DenseMatrix("output", 3, 4, BitRom.Numerics.Floats.DenseElementType.F32,
            new byte[3 * 4 * 4]);
        var chip = new ChipBackend(ChipTestData.Small(), ReferenceBackend.Instance);
        var y = new float[2 * 3];
        chip.Dense(head, new float[2 * 4], 2, y);
        Assert.Equal(2 * 3 * 4, chip.Stats.Total()[ChipEvent.DenseMac]);
    }
}
