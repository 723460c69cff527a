using BitRom.Model.Architectures;
using BitRom.Model.Synthetic;
using BitRom.Model.Training;
using Xunit;

namespace BitRom.Tests.Training;

/// <summary>Each op's backward against central finite differences of L = Σ output · R (R random, fixed).</summary>
public class OpGradientTests
{
    private const float Epsilon = 1e-2f;
    /// <summary>Allowed |numeric − analytic| relative to the largest analytic gradient (float32 forward).</summary>
    private const double RelativeTolerance = 1e-2;

    private static float[] Random(int n, ulong seed, float scale = 1f)
    {
        var rng = new SplitMix64(seed);
        return Enumerable.Range(0, n).Select(_ => (rng.NextFloat() * 2 - 1) * scale).ToArray();
    }

    private static double Loss(float[] y, float[] r) => y.Zip(r).Sum(p => (double)p.First * p.Second);

    /// <summary>Checks d(loss)/d(x) = analytic at every element of x.</summary>
    private static void Check(float[] x, float[] analytic, Func<double> loss, string what)
    {
        double maxG = analytic.Max(MathF.Abs);
        for (int i = 0; i < x.Length; i++)
        {
            float saved = x[i];
            x[i] = saved + Epsilon; double up = loss();
            x[i] = saved - Epsilon; double down = loss();
            x[i] = saved;
            double numeric = (up - down) / (2 * Epsilon);
            Assert.True(Math.Abs(numeric - analytic[i]) <= RelativeTolerance * Math.Max(maxG, 1e-3), $"{what}[{i}]: analytic {analytic[i]:E4}, numeric {numeric:E4}");
        }
    }

    [Fact]
    public void RmsNorm_Backward_MatchesFiniteDifferences()
    {
        int rows = 3, n = 8;
        float[] x = Random(rows * n, 1), w = Random(n, 2), r = Random(rows * n, 3), y = new float[rows * n], inv = new float[rows];
        double L() { TrainingOps.RmsNormForward(x, w, 1e-5f, y, inv, rows); return Loss(y, r); }
        L();
        float[] dx = new float[rows * n], dw = new float[n];
        TrainingOps.RmsNormBackward(x, w, inv, (float[])r.Clone(), dx, dw, rows);
        Check(x, dx, L, "dx");
        Check(w, dw, L, "dw");
    }

    [Theory]
    [InlineData(FfnActivation.Silu)]
    [InlineData(FfnActivation.Relu2)]
    public void Gate_Backward_MatchesFiniteDifferences(FfnActivation act)
    {
        int n = 24;
        float[] g = Random(n, 4, 2f), u = Random(n, 5), r = Random(n, 6), a = new float[n];
        double L() { TrainingOps.GateForward(act, g, u, a, n); return Loss(a, r); }
        float[] dg = new float[n], du = new float[n];
        TrainingOps.GateBackward(act, g, u, r, dg, du, n);
        Check(g, dg, L, "dg");
        Check(u, du, L, "du");
    }

    [Fact]
    public void RopeAndAttention_Backward_MatchFiniteDifferences()
    {
        ModelConfig c = GradientCheckTests.Tiny(kvHeads: 1);
        int batch = 2, seq = 5, m = batch * seq;
        var att = new TrainingAttention(c, seq);
        float[] q = Random(m * c.QDim, 7), k = Random(m * c.KvDim, 8), v = Random(m * c.KvDim, 9), r = Random(m * c.QDim, 10);
        float[] probs = new float[batch * c.Heads * seq * seq], o = new float[m * c.QDim];
        double L()
        {
            float[] qr = (float[])q.Clone(), kr = (float[])k.Clone();
            att.Rotate(qr, m, c.Heads, inverse: false);
            att.Rotate(kr, m, c.KvHeads, inverse: false);
            att.Forward(qr, kr, v, probs, o, batch);
            return Loss(o, r);
        }
        float[] qr0 = (float[])q.Clone(), kr0 = (float[])k.Clone();
        att.Rotate(qr0, m, c.Heads, false);
        att.Rotate(kr0, m, c.KvHeads, false);
        att.Forward(qr0, kr0, v, probs, o, batch);
        float[] dq = new float[q.Length], dk = new float[k.Length], dv = new float[v.Length];
        att.Backward(qr0, kr0, v, probs, r, dq, dk, dv, batch);
        att.Rotate(dq, m, c.Heads, inverse: true);
        att.Rotate(dk, m, c.KvHeads, inverse: true);
        Check(q, dq, L, "dq");
        Check(k, dk, L, "dk");
        Check(v, dv, L, "dv");
    }

    [Fact]
    public void CrossEntropy_Gradient_MatchesFiniteDifferences()
    {
        int rows = 3, vocab = 7;
        float[] z = Random(rows * vocab, 11, 3f), d = new float[rows * vocab];
        int[] targets = [2, -1, 6];
        TrainingOps.CrossEntropy(z, targets, rows, vocab, d);
        double L() { var (s, n) = TrainingOps.CrossEntropy(z, targets, rows, vocab, null); return s / n; }
        Check(z, d, L, "dlogits");
    }
}
