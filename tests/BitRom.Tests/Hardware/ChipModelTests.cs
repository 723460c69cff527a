using BitRom.Hardware.Components;
using BitRom.Hardware.Mapping;
using BitRom.Hardware.Simulation;
using BitRom.Model.Architectures;
using BitRom.Model.Inference;
using BitRom.Model.Synthetic;
using BitRom.Numerics.Kernels;
using Xunit;

namespace BitRom.Tests.Hardware;

public class ChipModelTests
{
    private static readonly int[] Prompt = [1, 70, 200, 13, 99];

    public static TheoryData<string> TinyModels => new() { Presets.Tiny.Name, Presets.TinyFalcon3.Name, Presets.TinyOneBit.Name };

    /// <summary>All logits of a prefill and two decode steps.</summary>
    private static float[] Logits(ModelConfig config, ModelWeights weights, IMatmulBackend backend)
    {
        var t = new Transformer(config, weights, backend);
        var all = new List<float>(t.Forward(Prompt, 0, allLogits: true).ToArray());
        all.AddRange(t.Forward([42], Prompt.Length).ToArray());
        all.AddRange(t.Forward([7], Prompt.Length + 1).ToArray());
        return [.. all];
    }

    [Theory]
    [MemberData(nameof(TinyModels))]
    public void Forward_TinyModel_ChipExactEqualsChipEqualsReferenceBitForBit(string name)
    {
        ModelConfig config = Presets.Get(name);
        ModelWeights weights = SyntheticModel.Create(config, seed: 3);
        ChipConfig chipConfig = ChipTestData.Small() with { TokensPerRead = 2 };
        float[] want = Logits(config, weights, ReferenceBackend.Instance);
        var exact = new ChipExactBackend(chipConfig, ReferenceBackend.Instance);
        var chip = new ChipBackend(chipConfig, ReferenceBackend.Instance);
        Assert.Equal(want, Logits(config, weights, exact));
        Assert.Equal(want, Logits(config, weights, chip));
        Assert.Equal(0, chip.ExactCalls);
        foreach (MatrixStats s in exact.Stats.Matrices)
            ChipBackendTests.AssertSameEvents(s.Events, chip.Stats.For(s.Name).Events);
    }

    [Fact]
    public void Forward_ChipOverFastBackend_EqualsReferenceBitForBit()
    {
        ModelConfig config = Presets.TinyFalcon3;
        ModelWeights weights = SyntheticModel.Create(config, seed: 4);
        using var fast = new FastBackend(2);
        var chip = new ChipBackend(ChipConfig.Default, fast);
        Assert.Equal(Logits(config, weights, ReferenceBackend.Instance), Logits(config, weights, chip));
        Assert.Equal(0, chip.ExactCalls);
        Assert.True(chip.Stats.Total()[ChipEvent.DenseMac] > 0);
    }

    [Fact]
    public void Forward_TinyModelFromPackedRomImage_EqualsReference()
    {
        ModelConfig config = Presets.Tiny;
        ModelWeights weights = SyntheticModel.Create(config, seed: 5);
        ChipConfig chipConfig = ChipTestData.Small() with { Pack = true };
        RomImage image = RomImage.Compile([.. weights.TernaryMatrices], chipConfig);
        var exact = new ChipExactBackend(chipConfig, ReferenceBackend.Instance, image);
        Assert.Equal(Logits(config, weights, ReferenceBackend.Instance), Logits(config, weights, exact));
        Assert.Equal(image.Mapping.Macros.Count, exact.Summary().Macros);
    }

    [Fact]
    public void PartialSumProbe_TinyModel_WidthsAreTightForErrorPolicy()
    {
        ModelConfig config = Presets.Tiny;
        ModelWeights weights = SyntheticModel.Create(config, seed: 9);
        ChipConfig chipConfig = ChipTestData.Small();
        var probe = new PartialSumProbe(ReferenceBackend.Instance, chipConfig);
        new Transformer(config, weights, probe).Forward(Prompt, 0);
        int local = probe.Ranges.Max(r => r.Local.BitsNeeded), global = probe.Ranges.Max(r => r.Global.BitsNeeded);
        Assert.InRange(local, 2, 12);
        Assert.True(global >= local);

        // The probe's widths are exactly what the chip needs: at those widths no overflow, one bit narrower an overflow.
        ChipConfig tight = chipConfig with { LocalBits = local, GlobalBits = global, Overflow = OverflowPolicy.Error };
        new Transformer(config, weights, new ChipExactBackend(tight, ReferenceBackend.Instance)).Forward(Prompt, 0);
        Assert.Throws<TriMlaOverflowException>(() =>
            new Transformer(config, weights, new ChipExactBackend(tight with { LocalBits = local - 1 }, ReferenceBackend.Instance)).Forward(Prompt, 0));
        Assert.Throws<TriMlaOverflowException>(() =>
            new Transformer(config, weights, new ChipExactBackend(tight with { GlobalBits = global - 1 }, ReferenceBackend.Instance)).Forward(Prompt, 0));
    }

    [Fact]
    public void WeightStats_KnownMatrix_RunsAndZeroFraction()
    {
        sbyte[] trits = [1, 1, 0, -1, -1, -1, /* row 2 */ -1, 1, 1, 1, 0, 1];
        var w = BitRom.Numerics.Ternary.TernaryMatrix.FromTrits("w", 2, 6, trits, 1f);
        WeightStats s = WeightStats.Of(w);
        Assert.Equal(2.0 / 12, s.ZeroFraction, 12);
        Assert.Equal(4, s.LongestRun);      // -1 -1 -1 | -1 across the row boundary, as the authors' flattening
        Assert.Equal(3, s.LongestRunInRow);
    }
}
