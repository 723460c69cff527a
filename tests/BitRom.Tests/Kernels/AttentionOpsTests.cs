using BitRom.Numerics.Floats;
using Xunit;

namespace BitRom.Tests.Kernels;

/// <summary>The fused attention ops against the one-at-a-time ops they replace, bit for bit.</summary>
public class AttentionOpsTests
{
    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        foreach (int k in KernelTestData.Widths) data.Add(k);
        foreach (int k in new[] { 7, 8, 9, 63, 64, 65, 200 }) data.Add(k);
        return data;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Dot4_EqualsFourDots(int n)
    {
        var rng = new Random(n + 40);
        float[] x = KernelTestData.Floats(rng, n);
        float[][] r = [.. Enumerable.Range(0, 4).Select(_ => KernelTestData.Floats(rng, n + 3))];
        if (n > 3) r[2][1] = float.NaN;
        var y = new float[4];
        FloatOps.Dot4(r[0], r[1], r[2], r[3], x, y);
        for (int j = 0; j < 4; j++)
            Assert.Equal(BitConverter.SingleToInt32Bits(FloatOps.DotReference(r[j].AsSpan(0, n), x)), BitConverter.SingleToInt32Bits(y[j]));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AddScaledRows_EqualsAddScaledPerRow(int n)
    {
        var rng = new Random(n + 41);
        foreach (int count in new[] { 0, 1, 5, 33 })
        {
            int stride = n + 5;
            float[] rows = KernelTestData.Floats(rng, Math.Max(count, 1) * stride);
            float[] weights = KernelTestData.Floats(rng, count);
            float[] start = KernelTestData.Floats(rng, n);
            float[] expected = (float[])start.Clone(), actual = (float[])start.Clone();
            for (int p = 0; p < count; p++) FloatOps.AddScaledReference(expected, weights[p], rows.AsSpan(p * stride, n));
            FloatOps.AddScaledRows(actual, weights, rows, stride);
            Assert.Equal(Array.ConvertAll(expected, BitConverter.SingleToInt32Bits), Array.ConvertAll(actual, BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void AddScaledRows_RowsTooShort_Throws()
    {
        Assert.Throws<ArgumentException>(() => FloatOps.AddScaledRows(new float[8], new float[3], new float[20], 8));
        Assert.Throws<ArgumentException>(() => FloatOps.AddScaledRows(new float[8], new float[2], new float[16], 4));
    }
}

/// <summary>The AVX2 activation rearrangement of the ternary kernels against the scalar loop.</summary>
public class TernaryActivationsTests
{
    [Theory]
    [MemberData(nameof(AttentionOpsTests.Lengths), MemberType = typeof(AttentionOpsTests))]
    public void RearrangeVector256_EqualsScalar(int k)
    {
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported) return; // the scalar loop is the only path there
        var rng = new Random(k + 50);
        sbyte[] q = KernelTestData.Activations(rng, k);
        if (k > 2) { q[0] = sbyte.MinValue; q[1] = sbyte.MaxValue; }
        int stride = (k + 127) / 128 * 128;
        sbyte[] expected = new sbyte[stride], actual = new sbyte[stride];
        Array.Fill(expected, (sbyte)99);
        Array.Fill(actual, (sbyte)99);
        int sum = BitRom.Numerics.Kernels.TernaryActivations.Rearrange(q, expected);
        Assert.Equal(sum, BitRom.Numerics.Kernels.TernaryActivations.RearrangeVector256(q, actual));
        Assert.Equal(expected, actual);
        Assert.Equal(q.Sum(v => (int)v), sum);
    }
}
