using BitRom.Numerics.Floats;
using BitRom.Numerics.Kernels;
using BitRom.Numerics.Ternary;
using Xunit;

namespace BitRom.Tests.Kernels;

public class FastBackendTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Ternary_SplitAcrossThreads_EqualsReference(int threads)
    {
        using var backend = new FastBackend(threads, inlineWork: 0);
        var rng = new Random(threads);
        foreach ((int n, int k) in new[] { (1, 33), (7, 257), (97, 4103), (301, 640) })
            foreach (int tokens in KernelTestData.TokenCounts)
            {
                TernaryMatrix w = KernelTestData.Matrix(rng, n, k);
                sbyte[] q = KernelTestData.Activations(rng, tokens * k);
                int[] expected = new int[tokens * n], actual = new int[tokens * n];
                TernaryGemm.Reference(w, q, tokens, expected);
                backend.Ternary(w, q, tokens, actual);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"N={n} K={k} tokens={tokens}");
            }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Dense_SplitAcrossThreads_EqualsReference(int threads)
    {
        using var backend = new FastBackend(threads, inlineWork: 0);
        var rng = new Random(threads + 10);
        foreach (DenseElementType type in Enum.GetValues<DenseElementType>())
            foreach (int tokens in new[] { 1, 3 })
            {
                DenseMatrix w = DenseKernelsTests.RandomMatrix(rng, type, 37, 96);
                float[] x = KernelTestData.Floats(rng, tokens * 96);
                float[] expected = new float[tokens * 37], actual = new float[tokens * 37];
                DenseGemm.Reference(w, x, tokens, expected);
                backend.Dense(w, x, tokens, actual);
                Assert.Equal(Array.ConvertAll(expected, BitConverter.SingleToInt32Bits), Array.ConvertAll(actual, BitConverter.SingleToInt32Bits));
            }
    }

    /// <summary>The interleaved head layout: row counts around whole blocks of four, columns around whole groups of eight.</summary>
    [Theory]
    [InlineData(DenseElementType.BF16)]
    [InlineData(DenseElementType.F16)]
    [InlineData(DenseElementType.F32)]
    public void Dense_InterleavedLayout_EqualsReference(DenseElementType type)
    {
        var rng = new Random((int)type + 20);
        foreach (int threads in new[] { 1, 2 })
        {
            using var backend = new FastBackend(threads, inlineWork: 0);
            foreach (int n in new[] { 1, 4, 5, 7, 8, 131 })
                foreach (int k in new[] { 1, 7, 8, 9, 96, 257, 4096 + 7 })
                    foreach (int tokens in new[] { 1, 3 })
                    {
                        DenseMatrix w = DenseKernelsTests.RandomMatrix(rng, type, n, k);
                        if (type == DenseElementType.F16 && k > 8)
                        {
                            // Inf and NaN lanes take the scalar conversion inside the interleaved loop
                            byte[] bytes = w.Data.ToArray();
                            BitConverter.TryWriteBytes(bytes.AsSpan(2 * 3), (ushort)0x7C00);
                            if (n > 1) BitConverter.TryWriteBytes(bytes.AsSpan(2 * (k + 1)), (ushort)0x7E01);
                            w = new DenseMatrix(w.Name, n, k, type, bytes);
                        }
                        Assert.Equal(n >= 4, InterleavedDense.Supports(w)); // one row stays row-major
                        float[] x = KernelTestData.Floats(rng, tokens * k);
                        float[] expected = new float[tokens * n], actual = new float[tokens * n];
                        DenseGemm.Reference(w, x, tokens, expected);
                        backend.Dense(w, x, tokens, actual);
                        backend.Dense(w, x, tokens, actual); // second call: the cached layout
                        Assert.True(Array.ConvertAll(expected, BitConverter.SingleToInt32Bits).AsSpan()
                            .SequenceEqual(Array.ConvertAll(actual, BitConverter.SingleToInt32Bits)), $"{type} N={n} K={k} tokens={tokens} threads={threads}");
                    }
        }
    }

    /// <summary>Several matrices on one input as one job: each block equals its own reference product, whatever the split.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TernaryMany_EqualsReferencePerMatrix(int threads)
    {
        using var backend = new FastBackend(threads, inlineWork: 0);
        var rng = new Random(threads + 30);
        foreach (int k in new[] { 1, 33, 257, 640 })
            foreach (int tokens in new[] { 1, 3, 5 })
            {
                TernaryMatrix[] ws = [KernelTestData.Matrix(rng, 37, k), KernelTestData.Matrix(rng, 8, k), KernelTestData.Matrix(rng, 61, k)];
                sbyte[] q = KernelTestData.Activations(rng, tokens * k);
                int total = ws.Sum(w => w.Rows) * tokens;
                int[] expected = new int[total], actual = new int[total], viaDefault = new int[total];
                int offset = 0;
                foreach (TernaryMatrix w in ws)
                {
                    TernaryGemm.Reference(w, q, tokens, expected.AsSpan(offset, tokens * w.Rows));
                    offset += tokens * w.Rows;
                }
                backend.TernaryMany(ws, q, tokens, actual);
                ((IMatmulBackend)ReferenceBackend.Instance).TernaryMany(ws, q, tokens, viaDefault);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"K={k} tokens={tokens}");
                Assert.True(expected.AsSpan().SequenceEqual(viaDefault), $"default method, K={k} tokens={tokens}");
            }
    }

    [Fact]
    public void BitLinearForwardMany_EqualsForwardPerMatrix()
    {
        using var backend = new FastBackend(2, inlineWork: 0);
        var rng = new Random(31);
        const int k = 96, tokens = 3;
        TernaryMatrix[] ws = [KernelTestData.Matrix(rng, 40, k), KernelTestData.Matrix(rng, 24, k)];
        float[] x = KernelTestData.Floats(rng, tokens * k);
        float[][] many = [new float[tokens * 40], new float[tokens * 24]];
        new BitLinear().ForwardMany(backend, ws, x, tokens, many);
        var one = new BitLinear();
        for (int j = 0; j < ws.Length; j++)
        {
            var y = new float[tokens * ws[j].Rows];
            one.Forward(ReferenceBackend.Instance, ws[j], x, tokens, y);
            Assert.Equal(Array.ConvertAll(y, BitConverter.SingleToInt32Bits), Array.ConvertAll(many[j], BitConverter.SingleToInt32Bits));
        }
        Assert.Throws<ArgumentException>(() => backend.TernaryMany([ws[0], KernelTestData.Matrix(rng, 4, k + 1)], new sbyte[tokens * k], tokens, new int[200]));
    }

    [Fact]
    public void Ternary_ShortOutput_Throws()
    {
        using var backend = new FastBackend(2);
        TernaryMatrix w = KernelTestData.Matrix(new Random(3), 4, 8);
        Assert.Throws<ArgumentException>(() => backend.Ternary(w, new sbyte[8], 1, new int[3]));
    }
}
