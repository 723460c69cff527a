using BitRom.Numerics.Floats;
using Xunit;

namespace BitRom.Tests.Foundation;

public class FloatOpsTests
{
    // Non-zero because the expected values are computed in double and the code in float32.
    private const double FloatTolerance = 1e-6;

    [Fact]
    public void RmsNorm_HandComputed()
    {
        // x = [1, 2, 3, 4]: mean(x²) = 7.5; inv = 1/sqrt(7.5 + 1e-5)
        float[] x = [1, 2, 3, 4];
        float[] w = [1, 0.5f, 2, -1];
        var y = new float[4];
        FloatOps.RmsNorm(x, w, 1e-5f, y);
        double inv = 1 / Math.Sqrt(7.5 + 1e-5);
        double[] expect = [1 * inv, 2 * inv * 0.5, 3 * inv * 2, -4 * inv];
        for (int i = 0; i < 4; i++) Assert.Equal(expect[i], y[i], FloatTolerance);
    }

    [Fact]
    public void Dot_FollowsTheDocumentedTree()
    {
        // 11 elements: eight lanes, then the tail of three added in order.
        var a = Enumerable.Range(1, 11).Select(i => (float)i * 0.1f).ToArray();
        var b = Enumerable.Range(1, 11).Select(i => 1f / i).ToArray();
        float[] l = new float[8];
        for (int i = 0; i < 8; i++) l[i] = a[i] * b[i];
        float r = ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]));
        for (int i = 8; i < 11; i++) r += a[i] * b[i];
        Assert.Equal(r, FloatOps.Dot(a, b));
    }

    [Fact]
    public void Softmax_HandComputed()
    {
        float[] x = [1, 2, 3];
        FloatOps.Softmax(x);
        double z = Math.Exp(-2) + Math.Exp(-1) + 1;
        Assert.Equal(Math.Exp(-2) / z, x[0], FloatTolerance);
        Assert.Equal(Math.Exp(-1) / z, x[1], FloatTolerance);
        Assert.Equal(1 / z, x[2], FloatTolerance);
    }

    [Theory]
    [InlineData(RopeStyle.Neox, 0)]
    [InlineData(RopeStyle.Neox, 1)]
    [InlineData(RopeStyle.Neox, 7)]
    [InlineData(RopeStyle.Interleaved, 0)]
    [InlineData(RopeStyle.Interleaved, 1)]
    [InlineData(RopeStyle.Interleaved, 7)]
    public void Rope_RotatesItsPairs_HandComputed(RopeStyle style, int pos)
    {
        // d = 4, theta = 100: frequencies 1 and 100^(-1/2) = 0.1.
        // Neox pairs (0,2) and (1,3) (HF rotate_half); interleaved pairs (0,1) and (2,3) (GGUF NORM).
        var rope = new Rope(4, 8, 100, style);
        float[] h = [1, 2, 3, 4];
        rope.Apply(h, pos);
        (int a, int b)[] pairs = style == RopeStyle.Neox ? [(0, 2), (1, 3)] : [(0, 1), (2, 3)];
        double[] angle = [pos * 1.0, pos * 0.1];
        for (int j = 0; j < 2; j++)
        {
            double x = j == 0 ? 1 : (style == RopeStyle.Neox ? 2 : 3);
            double y = j == 0 ? (style == RopeStyle.Neox ? 3 : 2) : 4;
            Assert.Equal(x * Math.Cos(angle[j]) - y * Math.Sin(angle[j]), h[pairs[j].a], FloatTolerance);
            Assert.Equal(x * Math.Sin(angle[j]) + y * Math.Cos(angle[j]), h[pairs[j].b], FloatTolerance);
        }
    }

    [Fact]
    public void GateActivations_HandComputed()
    {
        float[] g = [-1f, 2f];
        FloatOps.Relu2Mul(g, [3f, 0.5f]);
        Assert.Equal(new[] { 0f, 2f }, g);
        float[] s = [1f];
        FloatOps.SiluMul(s, [2f]);
        Assert.Equal(2 / (1 + Math.Exp(-1)), s[0], FloatTolerance);
    }
}
