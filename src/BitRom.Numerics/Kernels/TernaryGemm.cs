using BitRom.Numerics.Ternary;

namespace BitRom.Numerics.Kernels;

/// <summary>Ternary x int8 matrix products with exact int32 accumulation (what TriMLA computes).</summary>
public static class TernaryGemm
{
    /// <summary>
    /// Reference; every other path must match it bit for bit.
    /// acc[t, n] = Σ_k trit(n, k) · q[t, k]; q is (tokens, K), acc is (tokens, N).
    /// </summary>
    /// <remarks>
    /// |acc| ≤ K · 128, so int32 cannot overflow for K &lt; 2^24, far above any real model's width.
    /// </remarks>
    public static void Reference(TernaryMatrix w, ReadOnlySpan<sbyte> q, int tokens, Span<int> acc)
    {
        int n = w.Rows, k = w.Cols;
        CheckShapes(w, q.Length, acc.Length, tokens);
        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<byte> row = w.Row(r);
            for (int t = 0; t < tokens; t++)
            {
                ReadOnlySpan<sbyte> qt = q.Slice(t * k, k);
                int sum = 0;
                for (int c = 0; c < k; c++)
                {
                    int code = (row[c >> 2] >> ((c & 3) * 2)) & 3;
                    sum += (code - 1) * qt[c];
                }
                acc[t * n + r] = sum;
            }
        }
    }

    /// <summary>Throws when spans do not match the matrix shape and token count.</summary>
    public static void CheckShapes(TernaryMatrix w, int qLength, int accLength, int tokens)
    {
        if (tokens < 0 || qLength < (long)tokens * w.Cols || accLength < (long)tokens * w.Rows)
            throw new ArgumentException(
                $"{w.Name}: {tokens} tokens need q >= {(long)tokens * w.Cols} and acc >= {(long)tokens * w.Rows}, got {qLength} and {accLength}");
    }
}
