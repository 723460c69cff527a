using BitRom.Hardware.Components;
using BitRom.Model.Architectures;
using BitRom.Model.Inference;
using Xunit;
using Xunit.Abstractions;

namespace BitRom.Tests.Edram;

/// <summary>INT8 KV and retention failures change the functional output, and only when enabled (DESIGN.md §4).</summary>
public class KvPrecisionTests(ITestOutputHelper output)
{
    /// <summary>
    /// INT8 KV error bound on logits, relative to the logits' range. Per-head int8 has a step of max|x|/127, i.e.
    /// ≤ 0.4 % of a head's range per value; through two layers of attention that stays well under 5 %.
    /// </summary>
    private const double MaxRelativeLogitError = 0.05;

    private static readonly int[] Prompt = [256, 73, 110, 32, 116, 104, 101, 32, 98, 101, 103, 105, 110, 110, 105, 110, 103];

    [Fact]
    public void QuantizeHead_HandCase_RoundsHalfToEvenWithFp16Scale()
    {
        // max|x| = 127 → d = fp16(1) = 1; −63.5 → −64, 0.5 → 0, 1.5 → 2, 2.5 → 2, −2.5 → −2, 0.49 → 0
        float[] x = [127f, -63.5f, 0.5f, 1.5f, 2.5f, -2.5f, 0.49f];
        var codes = new sbyte[x.Length];
        var deq = new float[x.Length];
        Assert.Equal(1f, KvCache.QuantizeHead(x, codes, deq));
        Assert.Equal(new sbyte[] { 127, -64, 0, 2, 2, -2, 0 }, codes);
        Assert.Equal(new float[] { 127, -64, 0, 2, 2, -2, 0 }, deq);
        // max|x| = 1 → d = fp16(1/127) = 0.007874 → 0.0078735352 (fp16 has 10 mantissa bits)
        Assert.Equal((float)(Half)(1f / 127f), KvCache.QuantizeHead([1f, -0.5f], codes, deq));
        Assert.Equal(0f, KvCache.QuantizeHead([0f, 0f], codes, deq));
    }

    [Fact]
    public void Int8Kv_StructuredModel_LogitsDifferBySmallReportedAmount()
    {
        ModelConfig c = Presets.TinyFalcon3;
        ModelWeights w = StructuredModel.Create(c);
        float[] exact = new Transformer(c, w, contextLength: 32).Forward(Prompt, 0, allLogits: true).ToArray();
        float[] int8 = new Transformer(c, w, contextLength: 32, kvBits: 8).Forward(Prompt, 0, allLogits: true).ToArray();
        double range = exact.Max() - exact.Min();
        double maxDiff = exact.Zip(int8).Max(p => Math.Abs(p.First - p.Second));
        double meanDiff = exact.Zip(int8).Average(p => Math.Abs(p.First - p.Second));
        int argmaxAgree = Enumerable.Range(0, Prompt.Length).Count(t => ArgMax(exact, t, c.VocabSize) == ArgMax(int8, t, c.VocabSize));
        output.WriteLine($"INT8 KV vs 16-bit, {c.Name} structured, {Prompt.Length} positions: max |dlogit| {maxDiff:G4}, mean {meanDiff:G4}, " +
                         $"logit range {range:G4} (max rel {maxDiff / range:P3}); argmax agrees at {argmaxAgree}/{Prompt.Length} positions");
        Assert.True(maxDiff > 0, "INT8 KV must change the values attention reads");
        Assert.True(maxDiff / range < MaxRelativeLogitError, $"relative error {maxDiff / range}");
    }

    [Theory]
    [InlineData(16)]
    [InlineData(8)]
    public void RetentionFlips_ChangeOutputsOnlyWhenEnabled(int kvBits)
    {
        ModelConfig c = Presets.Tiny;
        ModelWeights w = StructuredModel.Create(c);
        var shape = new KvShape(c.Layers, c.KvHeads, c.HeadDim);
        // decode at 25 ms per token against t_ret = 10 ms: every read finds its row expired
        DrEdramConfig on = DrEdramConfig.Default with { KvBits = kvBits, ExplicitRefresh = false, RetentionFailureProbability = 0.02, Seed = 9 };
        float[] plain = Decode(c, w, kvBits, null, 0);
        float[] refreshed = Decode(c, w, kvBits, on with { ExplicitRefresh = true }, 25_000_000);
        float[] noFailures = Decode(c, w, kvBits, on with { RetentionFailureProbability = 0 }, 25_000_000);
        float[] fast = Decode(c, w, kvBits, on, 5_000_000);
        float[] failing = Decode(c, w, kvBits, on, 25_000_000);
        Assert.Equal(plain, refreshed);
        Assert.Equal(plain, noFailures);
        Assert.Equal(plain, fast);
        Assert.NotEqual(plain, failing);
        Assert.All(failing, v => Assert.True(float.IsFinite(v)));
    }

    /// <summary>Runs the prompt token by token, stepping the DR eDRAM alongside and clearing the bits it reports failed.</summary>
    private static float[] Decode(ModelConfig c, ModelWeights w, int kvBits, DrEdramConfig? edramConfig, long periodNs)
    {
        var t = new Transformer(c, w, contextLength: 32, kvBits: kvBits);
        var edram = edramConfig is null ? null : new DrEdram(edramConfig, new KvShape(c.Layers, c.KvHeads, c.HeadDim), Prompt.Length);
        var logits = new List<float>();
        for (int p = 0; p < Prompt.Length; p++)
        {
            foreach (KvRetentionFlip f in edram?.Step(p * periodNs) ?? [])
                t.Cache.ClearBit(f.Layer, f.Position, f.IsValue, f.Element, f.Bit);
            logits.AddRange(t.Forward(Prompt.AsSpan(p, 1), p).ToArray());
        }
        return [.. logits];
    }

    private static int ArgMax(float[] logits, int row, int vocab)
    {
        var span = logits.AsSpan(row * vocab, vocab);
        int best = 0;
        for (int i = 1; i < span.Length; i++) if (span[i] > span[best]) best = i;
        return best;
    }
}
