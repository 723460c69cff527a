using System.Runtime.Intrinsics;
using BitRom.Numerics.Kernels;
using BitRom.Numerics.Quant;
using Xunit;

namespace BitRom.Tests.Kernels;

public class ActivationQuantizerSimdTests
{
    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        foreach (int k in KernelTestData.Widths) data.Add(k);
        return data;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Vector256_RandomAndTies_EqualsReference(int n)
    {
        if (!Vector256.IsHardwareAccelerated) return; // path absent on this machine
        var rng = new Random(n + 5);
        float[] random = KernelTestData.Floats(rng, n);
        // amax 127 makes s exactly 1, so k + 0.5 values are exact ties: half-to-even must decide them
        float[] ties = new float[n];
        for (int i = 0; i < n; i++) ties[i] = i == 0 ? 127f : (i % 2 == 0 ? 1 : -1) * ((i % 120) + 0.5f);
        float[] tiny = new float[n];
        for (int i = 0; i < n; i++) tiny[i] = 1e-7f * (i % 3 - 1); // below the 1e-5 absmax floor
        foreach (float[] x in new[] { random, ties, tiny })
        {
            sbyte[] expected = new sbyte[n], actual = new sbyte[n];
            float s1 = ActivationQuantizer.QuantizeReference(x, expected);
            float s2 = ActivationQuantizer.QuantizeVector256(x, actual);
            Assert.Equal(BitConverter.SingleToInt32Bits(s1), BitConverter.SingleToInt32Bits(s2));
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [InlineData(float.NaN, 3)]
    [InlineData(float.PositiveInfinity, 17)]
    public void Quantize_NonFinite_ThrowsNamingIndex(float bad, int index)
    {
        var x = new float[40];
        x[index] = bad;
        var e = Assert.Throws<ArgumentException>(() => ActivationQuantizer.Quantize(x, new sbyte[40]));
        Assert.Contains($"index {index}", e.Message);
    }

    [Fact]
    public void Dequantize_Vector_EqualsScalarProducts()
    {
        var rng = new Random(9);
        int[] acc = new int[4103];
        for (int i = 0; i < acc.Length; i++) acc[i] = rng.Next(-(1 << 26), 1 << 26); // past 2^24: int → float rounds
        float[] y = new float[acc.Length];
        BitLinear.Dequantize(acc, 0.0123f, y);
        for (int i = 0; i < acc.Length; i++) Assert.Equal(BitConverter.SingleToInt32Bits(acc[i] * 0.0123f), BitConverter.SingleToInt32Bits(y[i]));
    }
}
