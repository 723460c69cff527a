using BitRom.Model.Architectures;
using BitRom.Numerics.Quant;
using BitRom.Numerics.Ternary;

namespace BitRom.Model.Training;

/// <summary>
/// A BitLinear weight as the forward pass of one step uses it. With fake quantization: the trits and the
/// per-tensor scale of <see cref="OneBitLlm.Ternarize"/> (HF <c>WeightQuant</c>); without: the float master weights
/// and scale 1 (for gradient checks).
/// </summary>
public sealed class LinearOperand
{
    /// <summary>Wraps a parameter; call <see cref="Prepare"/> after every weight update.</summary>
    public LinearOperand(Parameter p)
    {
        P = p;
        Wf = new float[p.Length];
        WfT = new float[p.Length];
    }

    /// <summary>The master parameter.</summary>
    public Parameter P { get; }
    /// <summary>Trits (or master weights) as floats, (N, K).</summary>
    public float[] Wf { get; }
    /// <summary>Transpose of <see cref="Wf"/>, (K, N).</summary>
    public float[] WfT { get; }
    /// <summary>wEff: mean|W| as <see cref="OneBitLlm.Ternarize"/> computes it, or 1.</summary>
    public float Scale { get; private set; } = 1f;

    /// <summary>Recomputes the operand from the master weights.</summary>
    public void Prepare(bool fakeQuant)
    {
        if (P.Fixed is { } t0)
        {
            // a loaded, frozen weight: the file's trits and scale, whatever the fake-quantization setting
            sbyte[] trits = t0.ToTrits();
            for (int i = 0; i < trits.Length; i++) Wf[i] = trits[i];
            Scale = t0.Scale;
        }
        else if (fakeQuant)
        {
            TernaryMatrix t = OneBitLlm.Ternarize(P.Name, P.Rows, P.Cols, P.W);
            sbyte[] trits = t.ToTrits();
            for (int i = 0; i < trits.Length; i++) Wf[i] = trits[i];
            Scale = t.Scale;
        }
        else
        {
            P.W.CopyTo(Wf, 0);
            Scale = 1f;
        }
        Gemm.Transpose(Wf, WfT, P.Rows, P.Cols);
    }
}

/// <summary>
/// The input of one or more BitLinear layers, quantized once per token: A = int8 values as floats and s = 127 / amax
/// from <see cref="ActivationQuantizer.Quantize"/> (HF <c>ActQuant</c>); without fake quantization A = x and s = 1.
/// </summary>
public sealed class QuantizedInput(int rows, int cols)
{
    /// <summary>Quantized activations as floats, (rows, cols).</summary>
    public float[] A { get; } = new float[rows * cols];
    /// <summary>Per-row quantizer scale s.</summary>
    public float[] S { get; } = new float[rows];
    /// <summary>Width K.</summary>
    public int Cols { get; } = cols;

    /// <summary>Quantizes the first <paramref name="n"/> rows of <paramref name="x"/>.</summary>
    public void Quantize(float[] x, int n, bool fakeQuant)
    {
        int k = Cols;
        if (!fakeQuant)
        {
            Array.Copy(x, A, n * k);
            Array.Fill(S, 1f, 0, n);
            return;
        }
        TrainingOps.ForRows(n, r =>
        {
            Span<sbyte> q = stackalloc sbyte[k];
            S[r] = ActivationQuantizer.Quantize(x.AsSpan(r * k, k), q);
            Span<float> a = A.AsSpan(r * k, k);
            for (int i = 0; i < k; i++) a[i] = q[i];
        });
    }
}

/// <summary>
/// BitLinear with the straight-through estimator (BitNet b1.58, Ma et al. 2024; HF
/// <c>x + (quant(x) − x).detach()</c>): forward y = (A·Wfᵀ)·c with c = wEff / s per row, which is the engine's
/// integer accumulation (exact: small integers sum exactly in float) times the same float32 factor (DESIGN.md §4);
/// backward treats both quantizers as identity: dx = dy·(wEff·Wf), dW += dyᵀ·(A / s).
/// </summary>
public static class StraightThroughLinear
{
    /// <summary>y (rows, N) = BitLinear(x).</summary>
    public static void Forward(LinearOperand w, QuantizedInput x, int rows, float[] y)
    {
        int n = w.P.Rows, k = w.P.Cols;
        Gemm.Multiply(x.A, w.WfT, y, rows, k, n, accumulate: false);
        TrainingOps.ForRows(rows, r =>
        {
            float c = w.Scale / x.S[r];
            Span<float> yr = y.AsSpan(r * n, n);
            for (int i = 0; i < n; i++) yr[i] *= c;
        });
    }

    /// <summary>
    /// Accumulates dW into the parameter's gradient and dx into <paramref name="dx"/> (added when
    /// <paramref name="accumulate"/>, else overwritten). <paramref name="scratch"/> and <paramref name="scratchT"/>
    /// hold at least rows·N floats.
    /// </summary>
    public static void Backward(LinearOperand w, QuantizedInput x, int rows, float[] dy, float[] dx, bool accumulate, float[] scratch, float[] scratchT)
    {
        int n = w.P.Rows, k = w.P.Cols;

        // dW += (dy / s)ᵀ · A (skipped for a frozen weight)
        if (!w.P.Frozen) WeightGradient(w, x, rows, dy, scratch, scratchT);

        // dx (+)= (dy · wEff) · Wf
        TrainingOps.ForRows(rows, r =>
        {
            for (int i = 0; i < n; i++) scratch[r * n + i] = dy[r * n + i] * w.Scale;
        });
        Gemm.Multiply(scratch, w.Wf, dx, rows, n, k, accumulate);
    }

    private static void WeightGradient(LinearOperand w, QuantizedInput x, int rows, float[] dy, float[] scratch, float[] scratchT)
    {
        int n = w.P.Rows, k = w.P.Cols;
        TrainingOps.ForRows(rows, r =>
        {
            float inv = 1f / x.S[r];
            for (int i = 0; i < n; i++) scratch[r * n + i] = dy[r * n + i] * inv;
        });
        Gemm.Transpose(scratch.AsSpan(0, rows * n), scratchT, rows, n);
        Gemm.Multiply(scratchT, x.A, w.P.G, n, rows, k, accumulate: true);
    }
}
