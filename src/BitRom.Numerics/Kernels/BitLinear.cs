using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Quant;
using BitRom.Numerics.Ternary;

namespace BitRom.Numerics.Kernels;

/// <summary>
/// BitLinear as DESIGN.md §4 defines it: per-token int8 quantization, exact int32 ternary accumulation,
/// y = (float)acc · c with c = wEff / s computed once per (token, matrix) in float32.
/// </summary>
public sealed class BitLinear
{
    private sbyte[] _q = [];
    private int[] _acc = [];
    private float[] _scales = [];

    /// <summary>y (tokens, N) = BitLinear(x (tokens, K)) through <paramref name="backend"/>.</summary>
    public void Forward(IMatmulBackend backend, TernaryMatrix w, ReadOnlySpan<float> x, int tokens, Span<float> y)
    {
        int k = w.Cols, n = w.Rows;
        Quantize(x, tokens, k, tokens * n);
        backend.Ternary(w, _q.AsSpan(0, tokens * k), tokens, _acc.AsSpan(0, tokens * n));
        Dequantize(w, 0, tokens, y);
    }

    /// <summary>
    /// y_j = BitLinear(w_j, x) for matrices sharing the input x (q/k/v, gate/up): x is quantized once and the backend
    /// gets one <see cref="IMatmulBackend.TernaryMany"/> call; each y_j (tokens, N_j) equals what <see cref="Forward"/> gives.
    /// </summary>
    public void ForwardMany(IMatmulBackend backend, ReadOnlySpan<TernaryMatrix> ws, ReadOnlySpan<float> x, int tokens, ReadOnlySpan<float[]> ys)
    {
        if (ws.Length == 0 || ws.Length != ys.Length) throw new ArgumentException($"{ws.Length} matrices and {ys.Length} outputs");
        int k = ws[0].Cols, total = 0;
        for (int j = 0; j < ws.Length; j++)
        {
            if (ws[j].Cols != k) throw new ArgumentException($"{ws[j].Name} has K = {ws[j].Cols}, {ws[0].Name} has K = {k}");
            if (ys[j].Length < (long)tokens * ws[j].Rows) throw new ArgumentException($"{ws[j].Name}: output of {ys[j].Length} for {tokens} x {ws[j].Rows}");
            total += ws[j].Rows;
        }
        Quantize(x, tokens, k, tokens * total);
        backend.TernaryMany(ws, _q.AsSpan(0, tokens * k), tokens, _acc.AsSpan(0, tokens * total));
        int offset = 0;
        for (int j = 0; j < ws.Length; j++)
        {
            Dequantize(ws[j], offset, tokens, ys[j]);
            offset += tokens * ws[j].Rows;
        }
    }

    /// <summary>Per-token int8 activations of x (tokens, K) into the scratch, which also grows to hold <paramref name="accLength"/> sums.</summary>
    private void Quantize(ReadOnlySpan<float> x, int tokens, int k, int accLength)
    {
        Ensure(ref _q, tokens * k);
        Ensure(ref _acc, accLength);
        Ensure(ref _scales, tokens);
        ActivationQuantizer.QuantizeRows(x[..(tokens * k)], tokens, _q, _scales);
    }

    /// <summary>y[t, :] = acc[t, :] · (wEff / s_t) for w's (tokens, N) block of sums starting at <paramref name="offset"/>.</summary>
    private void Dequantize(TernaryMatrix w, int offset, int tokens, Span<float> y)
    {
        int n = w.Rows;
        for (int t = 0; t < tokens; t++)
            Dequantize(_acc.AsSpan(offset + t * n, n), w.Scale / _scales[t], y.Slice(t * n, n));
    }

    /// <summary>
    /// Float-activation reference (<see cref="BitLinearMode.FloatActivations"/>): y[t, n] = FloatOps.Dot(W[n, :], x[t, :]) · wEff,
    /// with the trits as floats ±1/0 in the fixed reduction order of <see cref="FloatOps.Dot"/>; x (tokens, K), y (tokens, N).
    /// </summary>
    public static void ForwardFloat(TernaryMatrix w, ReadOnlySpan<float> x, int tokens, Span<float> y)
    {
        int k = w.Cols, n = w.Rows;
        if (tokens < 0 || x.Length < (long)tokens * k || y.Length < (long)tokens * n)
            throw new ArgumentException($"{w.Name}: {tokens} tokens need x >= {(long)tokens * k} and y >= {(long)tokens * n}");
        var trits = new sbyte[k];
        var row = new float[k];
        for (int r = 0; r < n; r++)
        {
            TernaryPacking.Unpack(w.Row(r), trits);
            for (int c = 0; c < k; c++) row[c] = trits[c];
            for (int t = 0; t < tokens; t++) y[t * n + r] = FloatOps.Dot(row, x.Slice(t * k, k)) * w.Scale;
        }
    }

    /// <summary>y_i = (float)acc_i · c: int32 → float32 rounds to nearest even on every path, then one product.</summary>
    internal static void Dequantize(ReadOnlySpan<int> acc, float c, Span<float> y)
    {
        int i = 0, n = acc.Length;
        if (Vector256.IsHardwareAccelerated)
        {
            ref int pa = ref MemoryMarshal.GetReference(acc);
            ref float py = ref MemoryMarshal.GetReference(y);
            Vector256<float> vc = Vector256.Create(c);
            for (; i + 8 <= n; i += 8)
                Vector256.Multiply(Vector256.ConvertToSingle(Vector256.LoadUnsafe(ref pa, (nuint)i)), vc).StoreUnsafe(ref py, (nuint)i);
        }
        for (; i < n; i++) y[i] = acc[i] * c;
    }

    /// <summary>The int8 activations of the last call (tokens, K); the simulator and analyses read them.</summary>
    public ReadOnlySpan<sbyte> LastQuantized => _q;

    private static void Ensure<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[length];
    }
}
