using CsCheck;
using BitRom.Model.Inference;
using Xunit;

namespace BitRom.Tests.Foundation;

public class SamplerTests
{
    [Fact]
    public void Greedy_PicksArgMax_LowestIdOnTies()
    {
        var s = new Sampler(new SamplerOptions { Temperature = 0 });
        Assert.Equal(2, s.Sample([0.1f, 0.5f, 0.9f, 0.9f], []));
    }

    [Fact]
    public void RepetitionPenalty_DemotesSeenTokens()
    {
        var s = new Sampler(new SamplerOptions { Temperature = 0, RepetitionPenalty = 2f });
        // token 0 (logit 1.0) was seen: 1.0 / 2 = 0.5 < 0.8
        Assert.Equal(1, s.Sample([1.0f, 0.8f, -1f], [0]));
    }

    [Fact]
    public void TopK1_IsGreedyWhateverTheSeed()
    {
        for (ulong seed = 1; seed < 20; seed++)
        {
            var s = new Sampler(new SamplerOptions { Temperature = 2f, TopK = 1, Seed = seed });
            Assert.Equal(3, s.Sample([0f, 1f, 2f, 3f, 2.5f], []));
        }
    }

    [Fact]
    public void TopP_KeepsOnlyTheNucleus()
    {
        // probabilities ~ [0.88, 0.12, 0.00...]: with p = 0.5 only token 0 survives
        for (ulong seed = 1; seed < 20; seed++)
        {
            var s = new Sampler(new SamplerOptions { Temperature = 1f, TopP = 0.5f, Seed = seed });
            Assert.Equal(0, s.Sample([4f, 2f, -5f, -6f], []));
        }
    }

    [Theory]
    [InlineData(-1f, 0, 1f, 1f)]
    [InlineData(1f, -1, 1f, 1f)]
    [InlineData(1f, 0, 0f, 1f)]
    [InlineData(1f, 0, 1f, 0f)]
    public void Options_OutOfRange_AreRejected(float t, int k, float p, float rp)
    {
        Assert.Throws<ArgumentException>(() => new SamplerOptions { Temperature = t, TopK = k, TopP = p, RepetitionPenalty = rp }.Validate());
    }
}

public class SamplerTopKTests
{
    [Fact]
    public void TopK_EqualsTheFirstKOfAStableDescendingSort()
    {
        // few distinct values, so ties are common and the tie-break by id is exercised
        Gen.Select(Gen.Int[0, 4].Array[1, 60], Gen.Int[1, 60]).Sample((values, k) =>
        {
            float[] p = [.. values.Select(v => (float)v)];
            k = Math.Min(k, p.Length);
            int[] expect = [.. Enumerable.Range(0, p.Length).OrderByDescending(i => p[i]).ThenBy(i => i).Take(k)];
            var top = new int[k];
            Sampler.TopK(p, top);
            return top.AsSpan().SequenceEqual(expect);
        });
    }
}
