using System.Runtime.Intrinsics;
using BitRom.Numerics.Floats;
using Xunit;

namespace BitRom.Tests.Kernels;

/// <summary>Every SIMD path of <see cref="FloatOps"/> against its scalar reference, bit for bit.</summary>
public class FloatOpsSimdTests
{
    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        foreach (int k in KernelTestData.Widths) data.Add(k);
        foreach (int k in new[] { 7, 8, 9, 15, 16, 17 }) data.Add(k);
        return data;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void DotAndSum_AllPaths_EqualReference(int n)
    {
        var rng = new Random(n);
        float[] a = KernelTestData.Floats(rng, n), b = KernelTestData.Floats(rng, n);
        float expected = FloatOps.DotReference(a, b);
        AssertSame(expected, FloatOps.Dot(a, b));
        if (Vector256.IsHardwareAccelerated) AssertSame(expected, FloatOps.DotVector256(a, b));
        if (Vector128.IsHardwareAccelerated) AssertSame(expected, FloatOps.DotVector128(a, b));
        float sum = FloatOps.SumReference(a);
        AssertSame(sum, FloatOps.Sum(a));
        if (Vector256.IsHardwareAccelerated) AssertSame(sum, FloatOps.SumVector256(a));
        if (Vector128.IsHardwareAccelerated) AssertSame(sum, FloatOps.SumVector128(a));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Elementwise_AllPaths_EqualReference(int n)
    {
        var rng = new Random(n + 1);
        float[] x = KernelTestData.Floats(rng, n), y = KernelTestData.Floats(rng, n), w = KernelTestData.Floats(rng, n);
        if (n > 2) { y[1] = float.NaN; x[2] = float.NaN; } // relu2's NaN → +0 and NaN propagation elsewhere

        Check(n, x, y, (s, o) => FloatOps.AddReference(s, o), (s, o) => FloatOps.Add(s, o), FloatOps.AddVector256, FloatOps.AddVector128);
        Check(n, x, y, (s, o) => FloatOps.AddScaledReference(s, 0.37f, o), (s, o) => FloatOps.AddScaled(s, 0.37f, o),
            (s, o) => FloatOps.AddScaledVector256(s, 0.37f, o), (s, o) => FloatOps.AddScaledVector128(s, 0.37f, o));
        Check(n, x, y, (s, o) => FloatOps.Relu2MulReference(s, o), (s, o) => FloatOps.Relu2Mul(s, o), FloatOps.Relu2MulVector256, FloatOps.Relu2MulVector128);
        Check(n, x, y, (s, o) => FloatOps.SiluMulReference(s, o), (s, o) => FloatOps.SiluMul(s, o), FloatOps.SiluMulVector256, null);
        Check(n, x, y, (s, _) => FloatOps.ScaleReference(s, 1.7f), (s, _) => FloatOps.Scale(s, 1.7f),
            (s, _) => FloatOps.ScaleVector256(s, 1.7f), (s, _) => FloatOps.ScaleVector128(s, 1.7f));
        Check(n, x, w, (s, o) => FloatOps.ScaleMulReference(s, 0.9f, o, s), (s, o) => FloatOps.ScaleMulVector256(s, 0.9f, o, s),
            (s, o) => FloatOps.ScaleMulVector256(s, 0.9f, o, s), (s, o) => FloatOps.ScaleMulVector128(s, 0.9f, o, s));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void RmsNormAndSoftmax_Dispatch_EqualReference(int n)
    {
        var rng = new Random(n + 2);
        float[] x = KernelTestData.Floats(rng, n), w = KernelTestData.Floats(rng, n);
        float[] expected = new float[n], actual = new float[n];
        FloatOps.RmsNormReference(x, w, 1e-5f, expected);
        FloatOps.RmsNorm(x, w, 1e-5f, actual);
        Assert.True(Bits(expected).SequenceEqual(Bits(actual)), $"RmsNorm n={n}");

        float[] s1 = (float[])x.Clone(), s2 = (float[])x.Clone();
        for (int i = 0; i < n; i++) { s1[i] *= 0.01f; s2[i] *= 0.01f; }
        FloatOps.SoftmaxReference(s1);
        FloatOps.Softmax(s2);
        Assert.True(Bits(s1).SequenceEqual(Bits(s2)), $"Softmax n={n}");
    }

    private delegate void Op(Span<float> target, ReadOnlySpan<float> other);

    private static void Check(int n, float[] x, float[] y, Op reference, Op dispatch, Op? v256, Op? v128)
    {
        float[] expected = (float[])x.Clone();
        reference(expected, y);
        foreach ((Op? op, bool available) in new[] { (dispatch, true), (v256, Vector256.IsHardwareAccelerated), (v128, Vector128.IsHardwareAccelerated) })
        {
            if (op is null || !available) continue;
            float[] actual = (float[])x.Clone();
            op(actual, y);
            Assert.True(Bits(expected).SequenceEqual(Bits(actual)), $"n={n}");
        }
    }

    private static int[] Bits(float[] v) => Array.ConvertAll(v, BitConverter.SingleToInt32Bits);

    private static void AssertSame(float expected, float actual) =>
        Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(actual));
}
