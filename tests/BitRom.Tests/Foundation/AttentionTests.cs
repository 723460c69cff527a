using BitRom.Model.Architectures;
using BitRom.Model.Inference;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Kernels;
using Xunit;

namespace BitRom.Tests.Foundation;

public class AttentionTests
{
    private const double FloatTolerance = 1e-6;

    [Fact]
    public void Attend_ThreeTokensWithGqa_MatchesHandComputedSoftmaxWeights()
    {
        // Two query heads share one kv head (GQA 2:1), head dim 2, three cached positions.
        ModelConfig c = Presets.Tiny with { Dim = 4, Heads = 2, KvHeads = 1, HeadDim = 2, HiddenDim = 4, VocabSize = 256, MaxSeqLen = 4 };
        var cache = new KvCache(1, 4, c.KvDim);
        float[][] keys = [[1, 0], [0, 1], [1, 1]];
        float[][] values = [[1, 2], [3, 4], [5, 6]];
        for (int p = 0; p < 3; p++) cache.Store(0, p, keys[p], values[p]);
        var ctx = new ForwardContext(c, ReferenceBackend.Instance, cache, new Rope(2, 4, 10000, RopeStyle.Neox));

        // query of the token at position 2 (rows: one token): head 0 = [2, 0], head 1 = [0, -2]
        ctx.Begin(1, 2);
        float[] q = [2, 0, 0, -2];
        q.CopyTo(ctx.Q, 0);
        ctx.Layer = 0;
        ctx.Attend();

        double s = 1 / Math.Sqrt(2);
        double[] Expect(double[] scores)
        {
            double[] e = scores.Select(x => Math.Exp(x * s)).ToArray();
            double z = e.Sum();
            return [e[0] / z * 1 + e[1] / z * 3 + e[2] / z * 5, e[0] / z * 2 + e[1] / z * 4 + e[2] / z * 6];
        }
        double[] h0 = Expect([2, 0, 2]);
        double[] h1 = Expect([0, -2, -2]);
        Assert.Equal(h0[0], ctx.Att[0], FloatTolerance);
        Assert.Equal(h0[1], ctx.Att[1], FloatTolerance);
        Assert.Equal(h1[0], ctx.Att[2], FloatTolerance);
        Assert.Equal(h1[1], ctx.Att[3], FloatTolerance);
    }

    [Fact]
    public void Attend_FirstPosition_ReturnsItsOwnValue()
    {
        ModelConfig c = Presets.Tiny with { Dim = 4, Heads = 2, KvHeads = 1, HeadDim = 2, HiddenDim = 4, VocabSize = 256, MaxSeqLen = 4 };
        var cache = new KvCache(1, 4, c.KvDim);
        cache.Store(0, 0, [0.3f, -0.7f], [7, -8]);
        var ctx = new ForwardContext(c, ReferenceBackend.Instance, cache, new Rope(2, 4, 10000, RopeStyle.Neox));
        ctx.Begin(1, 0);
        new float[] { 5, 5, -1, 2 }.CopyTo(ctx.Q, 0);
        ctx.Layer = 0;
        ctx.Attend();
        Assert.Equal(new float[] { 7, -8, 7, -8 }, ctx.Att.AsSpan(0, 4).ToArray());
    }
}
