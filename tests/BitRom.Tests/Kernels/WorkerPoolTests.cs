using BitRom.Model.Architectures;
using BitRom.Model.Inference;
using BitRom.Model.Synthetic;
using BitRom.Numerics.Threading;
using Xunit;

namespace BitRom.Tests.Kernels;

public class WorkerPoolTests
{
    private sealed class Marker(int items) : IRangeWork
    {
        public readonly int[] Hits = new int[items];
        public int FailAt = -1;

        public void Execute(int start, int end, int worker)
        {
            for (int i = start; i < end; i++)
            {
                if (i == FailAt) throw new InvalidDataException($"item {i}");
                Interlocked.Increment(ref Hits[i]);
            }
        }
    }

    [Theory]
    [InlineData(1, 1000, 7)]
    [InlineData(2, 1000, 7)]
    [InlineData(3, 5, 1)]
    [InlineData(2, 1, 4)]
    public void Run_AnyGrain_CoversEveryItemOnce(int threads, int items, int grain)
    {
        using var pool = new WorkerPool(threads);
        var work = new Marker(items);
        for (int call = 0; call < 50; call++) pool.Run(work, items, grain);
        Assert.All(work.Hits, h => Assert.Equal(50, h));
    }

    [Fact]
    public void Run_WorkThrows_RethrowsOnCaller()
    {
        using var pool = new WorkerPool(2);
        var work = new Marker(100) { FailAt = 63 };
        var e = Assert.Throws<InvalidDataException>(() => pool.Run(work, 100, 1));
        Assert.Contains("item 63", e.Message);
        work.FailAt = -1;
        pool.Run(work, 100, 1); // the pool still works afterwards
    }

    [Fact]
    public void MeasureReadBandwidth_SmallBuffer_IsPositive()
    {
        double bytesPerSecond = MemoryBandwidth.MeasureReadBytesPerSecond(2, bytes: 8L << 20, passes: 1);
        Assert.True(bytesPerSecond > 1e6, $"{bytesPerSecond} B/s");
    }

    [Fact]
    public void DecodeBytesPerToken_Tiny_CountsWeightsHeadNormsAndCache()
    {
        ModelConfig c = Presets.Tiny;
        ModelWeights w = SyntheticModel.Create(c, seed: 1);
        long ternary = w.TernaryMatrices.Sum(m => (long)m.Packed.Length);
        long head = (long)c.VocabSize * c.Dim * 2; // bf16 tied table
        long norms = 4L * (c.Dim + c.Layers * (2L * c.Dim + c.QDim + c.HiddenDim));
        long cache = 2L * c.Layers * 10 * c.KvDim * 4; // positions 0..9
        Assert.Equal(ternary + head + c.Dim * 2 + norms + cache, ThroughputBenchmark.DecodeBytesPerToken(c, w, position: 9));
    }

    [Fact]
    public void Spread_EvenAndOdd_MedianAndRange()
    {
        Assert.Equal(new Spread(2, 1, 5), Spread.Of([5, 1, 2]));
        Assert.Equal(new Spread(2.5, 1, 5), Spread.Of([5, 1, 2, 3]));
        Assert.Throws<ArgumentException>(() => Spread.Of([]));
    }
}
