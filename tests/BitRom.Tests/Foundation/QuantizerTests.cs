using BitRom.Numerics.Kernels;
using BitRom.Numerics.Quant;
using BitRom.Numerics.Ternary;
using Xunit;

namespace BitRom.Tests.Foundation;

public class QuantizerTests
{
    [Fact]
    public void Quantize_HalfwayValues_RoundToEven()
    {
        // amax = 127 makes s = 1 exactly, so x·s are the literal values: .5 ties go to the even neighbour.
        float[] x = [127f, 0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 3.49f];
        var q = new sbyte[x.Length];
        float s = ActivationQuantizer.Quantize(x, q);
        Assert.Equal(1f, s);
        Assert.Equal(new sbyte[] { 127, 0, 2, 2, 0, -2, -2, 3 }, q);
    }

    [Fact]
    public void Quantize_AllZero_UsesAmaxFloorAndGivesZeros()
    {
        var q = new sbyte[4];
        float s = ActivationQuantizer.Quantize(new float[4], q);
        Assert.Equal(127f / 1e-5f, s);
        Assert.All(q, v => Assert.Equal(0, v));
    }

    [Fact]
    public void Quantize_AbsMaxNegative_MapsToMinus127()
    {
        var q = new sbyte[3];
        float s = ActivationQuantizer.Quantize([-2f, 1f, 0.25f], q);
        Assert.Equal(63.5f, s);
        Assert.Equal(new sbyte[] { -127, 64, 16 }, q); // 63.5 → 64 (tie to even), 15.875 → 16
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Quantize_NonFinite_ThrowsNamingTheIndex(float bad)
    {
        var e = Assert.Throws<ArgumentException>(() => ActivationQuantizer.Quantize([1f, bad, 2f], new sbyte[3]));
        Assert.Contains("index 1", e.Message);
    }

    [Theory]
    [InlineData(2f)]    // autobitlinear: wEff = weight_scale (multiply)
    [InlineData(0.5f)]  // bitlinear: wEff = 1 / weight_scale with weight_scale = 2 (divide)
    public void BitLinear_Scaling_IsAccTimesWEffOverS(float wEff)
    {
        // W = [[1, -1, 0], [1, 1, 1]], x = [1, 0.5, -0.25]: s = 127, q = [127, 64, -32] (63.5 → 64 tie to even, -31.75 → -32)
        var w = TernaryMatrix.FromTrits("w", 2, 3, [1, -1, 0, 1, 1, 1], wEff);
        var y = new float[2];
        new BitLinear().Forward(ReferenceBackend.Instance, w, [1f, 0.5f, -0.25f], 1, y);
        float c = wEff / 127f;
        Assert.Equal(63 * c, y[0]);
        Assert.Equal(159 * c, y[1]);
    }
}
