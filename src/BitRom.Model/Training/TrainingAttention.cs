using BitRom.Model.Architectures;
using BitRom.Numerics.Floats;

namespace BitRom.Model.Training;

/// <summary>
/// RoPE and causal GQA attention over a batch of sequences that all start at position 0, forward (the engine's
/// softmax and the same cos/sin table as <see cref="Rope"/>; Vector256 dot products, so attention floats are close to
/// the engine's, not identical) and backward.
/// Layouts: Q (batch·seq, QDim), K and V (batch·seq, KvDim), probabilities (batch, Heads, seq, seq).
/// </summary>
public sealed class TrainingAttention
{
    private readonly ModelConfig _c;
    private readonly float[] _cos, _sin;

    /// <summary>Builds the rotary table for <paramref name="seqLen"/> positions.</summary>
    public TrainingAttention(ModelConfig config, int seqLen)
    {
        _c = config;
        SeqLen = seqLen;
        int hd = config.HeadDim, half = hd / 2;
        _cos = new float[seqLen * half];
        _sin = new float[seqLen * half];
        // Same angles as Numerics.Floats.Rope: pos · theta^(−2j/d) in double, rounded once to float.
        for (int p = 0; p < seqLen; p++)
            for (int j = 0; j < half; j++)
            {
                double angle = p * Math.Pow(config.RopeTheta, -2.0 * j / hd);
                _cos[p * half + j] = (float)Math.Cos(angle);
                _sin[p * half + j] = (float)Math.Sin(angle);
            }
    }

    /// <summary>Positions per sequence.</summary>
    public int SeqLen { get; }

    /// <summary>Rotates every head of every row of <paramref name="x"/> (width heads·HeadDim); <paramref name="inverse"/> rotates back (the backward pass).</summary>
    public void Rotate(float[] x, int rows, int heads, bool inverse)
    {
        int hd = _c.HeadDim, half = hd / 2, width = heads * hd;
        bool neox = _c.Rope == RopeStyle.Neox;
        TrainingOps.ForRows(rows, r =>
        {
            int pos = r % SeqLen;
            for (int h = 0; h < heads; h++)
            {
                Span<float> v = x.AsSpan(r * width + h * hd, hd);
                for (int j = 0; j < half; j++)
                {
                    int ia = neox ? j : 2 * j, ib = neox ? j + half : 2 * j + 1;
                    float cos = _cos[pos * half + j], sin = inverse ? -_sin[pos * half + j] : _sin[pos * half + j];
                    float a = v[ia], b = v[ib];
                    v[ia] = a * cos - b * sin;
                    v[ib] = a * sin + b * cos;
                }
            }
        });
    }

    /// <summary>Causal softmax attention: probs and output (batch·seq, QDim) from rotated Q, K and V.</summary>
    public void Forward(float[] q, float[] k, float[] v, float[] probs, float[] output, int batch)
    {
        ModelConfig c = _c;
        int T = SeqLen, hd = c.HeadDim, kvMul = c.Heads / c.KvHeads;
        float scale = 1f / MathF.Sqrt(hd);
        Parallel.For(0, batch * c.Heads, bh =>
        {
            int b = bh / c.Heads, h = bh % c.Heads, kvh = h / kvMul;
            for (int t = 0; t < T; t++)
            {
                ReadOnlySpan<float> qt = q.AsSpan((b * T + t) * c.QDim + h * hd, hd);
                Span<float> p = probs.AsSpan(((b * c.Heads + h) * T + t) * T, t + 1);
                for (int s = 0; s <= t; s++) p[s] = VectorOps.Dot(qt, k.AsSpan((b * T + s) * c.KvDim + kvh * hd, hd)) * scale;
                FloatOps.Softmax(p);
                Span<float> o = output.AsSpan((b * T + t) * c.QDim + h * hd, hd);
                o.Clear();
                for (int s = 0; s <= t; s++) VectorOps.AddScaled(o, p[s], v.AsSpan((b * T + s) * c.KvDim + kvh * hd, hd));
            }
        });
    }

    /// <summary>
    /// Backward of <see cref="Forward"/>: dq, dk, dv (overwritten) from d(output). Parallel over (sequence, kv head),
    /// so the query heads sharing a kv head add into its dk/dv without races.
    /// </summary>
    public void Backward(float[] q, float[] k, float[] v, float[] probs, float[] dOut, float[] dq, float[] dk, float[] dv, int batch)
    {
        ModelConfig c = _c;
        int T = SeqLen, hd = c.HeadDim, kvMul = c.Heads / c.KvHeads;
        float scale = 1f / MathF.Sqrt(hd);
        Parallel.For(0, batch * c.KvHeads, bk =>
        {
            int b = bk / c.KvHeads, kvh = bk % c.KvHeads;
            var dp = new float[T];
            for (int t = 0; t < T; t++)
            {
                dk.AsSpan((b * T + t) * c.KvDim + kvh * hd, hd).Clear();
                dv.AsSpan((b * T + t) * c.KvDim + kvh * hd, hd).Clear();
            }
            for (int h = kvh * kvMul; h < (kvh + 1) * kvMul; h++)
                for (int t = 0; t < T; t++)
                {
                    ReadOnlySpan<float> p = probs.AsSpan(((b * c.Heads + h) * T + t) * T, t + 1);
                    ReadOnlySpan<float> dot = dOut.AsSpan((b * T + t) * c.QDim + h * hd, hd);
                    ReadOnlySpan<float> qt = q.AsSpan((b * T + t) * c.QDim + h * hd, hd);
                    Span<float> dqt = dq.AsSpan((b * T + t) * c.QDim + h * hd, hd);
                    dqt.Clear();
                    double sum = 0;
                    for (int s = 0; s <= t; s++)
                    {
                        int kv = (b * T + s) * c.KvDim + kvh * hd;
                        dp[s] = VectorOps.Dot(dot, v.AsSpan(kv, hd));
                        sum += (double)p[s] * dp[s];
                        VectorOps.AddScaled(dv.AsSpan(kv, hd), p[s], dot);
                    }
                    for (int s = 0; s <= t; s++)
                    {
                        float ds = p[s] * (dp[s] - (float)sum) * scale;
                        int kv = (b * T + s) * c.KvDim + kvh * hd;
                        VectorOps.AddScaled(dqt, ds, k.AsSpan(kv, hd));
                        VectorOps.AddScaled(dk.AsSpan(kv, hd), ds, qt);
                    }
                }
        });
    }
}
