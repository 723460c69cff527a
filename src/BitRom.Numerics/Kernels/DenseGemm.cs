using BitRom.Numerics.Floats;

namespace BitRom.Numerics.Kernels;

/// <summary>Float matrix products for the non-ternary embedding/head matrices.</summary>
public static class DenseGemm
{
    /// <summary>
    /// Reference; every other path must match it bit for bit.
    /// y[t, n] = FloatOps.Dot(decode(W[n, :]), x[t, :]); x is (tokens, K), y is (tokens, N).
    /// </summary>
    public static void Reference(DenseMatrix w, ReadOnlySpan<float> x, int tokens, Span<float> y)
    {
        int n = w.Rows, k = w.Cols;
        if (tokens < 0 || x.Length < (long)tokens * k || y.Length < (long)tokens * n)
            throw new ArgumentException($"{w.Name}: {tokens} tokens need x >= {(long)tokens * k} and y >= {(long)tokens * n}");
        float[] row = new float[k];
        for (int r = 0; r < n; r++)
        {
            w.DecodeRow(r, row);
            for (int t = 0; t < tokens; t++) y[t * n + r] = FloatOps.DotReference(row, x.Slice(t * k, k));
        }
    }
}
