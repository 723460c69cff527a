using BitRom.Model.Architectures;
using BitRom.Numerics.Floats;

namespace BitRom.Model.Training;

/// <summary>
/// Forward and backward of the element-wise and row-wise ops of a block. Forward passes call the engine's
/// <see cref="FloatOps"/> so the trainer computes what the engine computes; backward passes are the analytic
/// derivatives (checked against finite differences in the tests).
/// </summary>
public static class TrainingOps
{
    /// <summary>Rows per parallel work item of the row-wise ops.</summary>
    private const int RowsPerTask = 32;

    /// <summary>Runs <paramref name="body"/> over rows 0..rows−1 in parallel chunks.</summary>
    public static void ForRows(int rows, Action<int> body)
    {
        int tasks = (rows + RowsPerTask - 1) / RowsPerTask;
        if (tasks <= 1) { for (int r = 0; r < rows; r++) body(r); return; }
        Parallel.For(0, tasks, t =>
        {
            for (int r = t * RowsPerTask, end = Math.Min(rows, r + RowsPerTask); r < end; r++) body(r);
        });
    }

    /// <summary>1 / sqrt(mean(x²) + eps), exactly as inside <see cref="FloatOps.RmsNorm"/>.</summary>
    public static float InvRms(ReadOnlySpan<float> x, float eps) => 1f / MathF.Sqrt(FloatOps.Dot(x, x) / x.Length + eps);

    /// <summary>y_r = RMSNorm(x_r)·w for every row (width w.Length); inv_r receives the row's 1/rms.</summary>
    public static void RmsNormForward(float[] x, float[] w, float eps, float[] y, float[] inv, int rows)
    {
        int n = w.Length;
        ForRows(rows, r =>
        {
            ReadOnlySpan<float> xr = x.AsSpan(r * n, n);
            inv[r] = InvRms(xr, eps);
            FloatOps.RmsNorm(xr, w, eps, y.AsSpan(r * n, n));
        });
    }

    /// <summary>
    /// Backward of y = x·inv·w: dw += Σ_r dy·x·inv; dx = inv·(dy·w) − x·inv³·(Σ_j dy_j w_j x_j)/n.
    /// <paramref name="dx"/> is overwritten (it may alias <paramref name="dy"/>).
    /// </summary>
    public static void RmsNormBackward(float[] x, float[] w, float[] inv, float[] dy, float[] dx, float[] dw, int rows)
    {
        int n = w.Length;
        var partial = new float[(rows + RowsPerTask - 1) / RowsPerTask][];
        int tasks = partial.Length;
        Parallel.For(0, tasks, t =>
        {
            var dwLocal = new float[n];
            for (int r = t * RowsPerTask, end = Math.Min(rows, r + RowsPerTask); r < end; r++)
            {
                Span<float> xr = x.AsSpan(r * n, n), dyr = dy.AsSpan(r * n, n), dxr = dx.AsSpan(r * n, n);
                float ir = inv[r];
                double dot = 0;
                for (int i = 0; i < n; i++)
                {
                    dwLocal[i] += dyr[i] * xr[i] * ir;
                    dot += (double)dyr[i] * w[i] * xr[i];
                }
                float coef = (float)(dot / n) * ir * ir * ir;
                for (int i = 0; i < n; i++) dxr[i] = ir * dyr[i] * w[i] - xr[i] * coef;
            }
            partial[t] = dwLocal;
        });
        foreach (float[] p in partial) for (int i = 0; i < n; i++) dw[i] += p[i];
    }

    /// <summary>a = act(g)·u with the engine's <see cref="FloatOps.SiluMul"/> / <see cref="FloatOps.Relu2Mul"/>.</summary>
    public static void GateForward(FfnActivation act, float[] g, float[] u, float[] a, int count)
    {
        Array.Copy(g, a, count);
        ForRows((count + 1023) / 1024, c =>
        {
            int start = c * 1024, len = Math.Min(1024, count - start);
            if (act == FfnActivation.Relu2) FloatOps.Relu2Mul(a.AsSpan(start, len), u.AsSpan(start, len));
            else FloatOps.SiluMul(a.AsSpan(start, len), u.AsSpan(start, len));
        });
    }

    /// <summary>
    /// Backward of a = act(g)·u: dg = da·u·act'(g), du = da·act(g); silu'(g) = σ(g)(1 + g(1 − σ(g))), (relu²)'(g) = 2·relu(g).
    /// </summary>
    public static void GateBackward(FfnActivation act, float[] g, float[] u, float[] da, float[] dg, float[] du, int count)
    {
        ForRows((count + 1023) / 1024, c =>
        {
            for (int i = c * 1024, end = Math.Min(count, i + 1024); i < end; i++)
            {
                float gi = g[i], a, d;
                if (act == FfnActivation.Relu2)
                {
                    float r = gi > 0f ? gi : 0f;
                    a = r * r;
                    d = 2f * r;
                }
                else
                {
                    float s = 1f / (1f + MathF.Exp(-gi));
                    a = gi * s;
                    d = s * (1f + gi * (1f - s));
                }
                float dai = da[i];
                dg[i] = dai * u[i] * d;
                du[i] = dai * a;
            }
        });
    }

    /// <summary>
    /// Mean cross-entropy of softmax(logits) against <paramref name="targets"/> (−1 = ignored) over rows;
    /// when <paramref name="dlogits"/> is given it receives (softmax − onehot) / counted rows. Returns (sum of
    /// per-row losses, counted rows); sums in double.
    /// </summary>
    public static (double Sum, int Count) CrossEntropy(float[] logits, int[] targets, int rows, int vocab, float[]? dlogits)
    {
        int count = 0;
        for (int r = 0; r < rows; r++) if (targets[r] >= 0) count++;
        var losses = new double[rows];
        float scale = count > 0 ? 1f / count : 0f;
        ForRows(rows, r =>
        {
            ReadOnlySpan<float> z = logits.AsSpan(r * vocab, vocab);
            int target = targets[r];
            if (target < 0)
            {
                dlogits?.AsSpan(r * vocab, vocab).Clear();
                return;
            }
            float max = float.NegativeInfinity;
            foreach (float v in z) if (v > max) max = v;
            double sum = 0;
            foreach (float v in z) sum += Math.Exp(v - max);
            double logZ = max + Math.Log(sum);
            losses[r] = logZ - z[target];
            if (dlogits is null) return;
            Span<float> d = dlogits.AsSpan(r * vocab, vocab);
            for (int i = 0; i < vocab; i++) d[i] = (float)Math.Exp(z[i] - logZ) * scale;
            d[target] -= scale;
        });
        return (losses.Sum(), count);
    }
}
