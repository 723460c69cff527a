using BitRom.Model.Architectures;
using BitRom.Model.Inference;
using BitRom.Model.Synthetic;
using BitRom.Model.Tokenizers;
using Xunit;

namespace BitRom.Tests.Foundation;

public class ForwardTests
{
    public static TheoryData<string> Families => new() { Presets.Tiny.Name, Presets.TinyFalcon3.Name, Presets.TinyOneBit.Name };

    [Theory]
    [MemberData(nameof(Families))]
    public void IncrementalDecode_EqualsFullRecompute_AtEveryPosition(string arch)
    {
        ModelConfig c = Presets.Get(arch);
        ModelWeights w = SyntheticModel.Create(c, seed: 7);
        int[] tokens = [c.BosToken, 72, 101, 108, 108, 111, 44, 32, 119, 111, 114, 108, 100];

        // whole sequence in one batch, logits for every position
        var full = new Transformer(c, w, contextLength: 32);
        float[] all = full.Forward(tokens, 0, allLogits: true).ToArray();

        // one token at a time through the KV cache
        var inc = new Transformer(c, w, contextLength: 32);
        for (int p = 0; p < tokens.Length; p++)
        {
            float[] step = inc.Forward(tokens.AsSpan(p, 1), p).ToArray();
            Assert.Equal(all.AsSpan(p * c.VocabSize, c.VocabSize).ToArray(), step);
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void PrefillInChunks_EqualsOneBatch(string arch)
    {
        ModelConfig c = Presets.Get(arch);
        ModelWeights w = SyntheticModel.Create(c, seed: 3);
        int[] tokens = [.. Enumerable.Range(0, 10).Select(i => (i * 37) % 256)];
        float[] one = new Transformer(c, w, contextLength: 16).Forward(tokens, 0).ToArray();
        var chunked = new Transformer(c, w, contextLength: 16);
        chunked.Forward(tokens.AsSpan(0, 4), 0);
        float[] last = chunked.Forward(tokens.AsSpan(4), 4).ToArray();
        Assert.Equal(one, last);
    }

    [Fact]
    public void Synthetic_SameSeed_SameWeights_OtherSeed_Differs()
    {
        var a = SyntheticModel.Create(Presets.Tiny, seed: 5);
        var b = SyntheticModel.Create(Presets.Tiny, seed: 5);
        var d = SyntheticModel.Create(Presets.Tiny, seed: 6);
        Assert.True(a.Layers[1].WDown.Packed.Span.SequenceEqual(b.Layers[1].WDown.Packed.Span));
        Assert.False(a.Layers[1].WDown.Packed.Span.SequenceEqual(d.Layers[1].WDown.Packed.Span));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Synthetic_ZeroFraction_IsHonoured(double zf)
    {
        var m = SyntheticModel.Ternary("t", 256, 512, seed: 1, zeroFraction: zf);
        double zeros = m.ToTrits().Count(t => t == 0) / (double)(256 * 512);
        Assert.InRange(zeros, zf - 0.01, zf + 0.01);
    }

    [Fact]
    public void Greedy_TwoRuns_SameTokens()
    {
        var (gen, _) = NewGenerator();
        var opts = new SamplerOptions { Temperature = 0 };
        var r1 = gen().Generate("The ", 12, opts);
        var r2 = gen().Generate("The ", 12, opts);
        Assert.Equal(r1.GeneratedTokens, r2.GeneratedTokens);
        Assert.Equal(12, r1.GeneratedTokens.Count);
    }

    [Fact]
    public void Sampling_SameSeed_Same_DifferentSeeds_Differ()
    {
        var (gen, _) = NewGenerator();
        SamplerOptions S(ulong seed) => new() { Temperature = 1.5f, Seed = seed };
        var a = gen().Generate("The ", 24, S(1)).GeneratedTokens;
        var b = gen().Generate("The ", 24, S(1)).GeneratedTokens;
        var d = gen().Generate("The ", 24, S(2)).GeneratedTokens;
        Assert.Equal(a, b);
        Assert.NotEqual(a, d);
    }

    private static (Func<Generator>, ModelConfig) NewGenerator()
    {
        ModelConfig c = Presets.Tiny;
        ModelWeights w = SyntheticModel.Create(c, seed: 11);
        return (() => new Generator(new Transformer(c, w, contextLength: 64), new ByteTokenizer(c.VocabSize, c.BosToken, c.EosToken)), c);
    }
}
