using System.Runtime.Intrinsics.X86;
using BitRom.Numerics.Ternary;

namespace BitRom.Numerics.Kernels;

/// <summary>
/// Fast int8 × ternary matrix products, bit-identical to <see cref="TernaryGemm.Reference"/>: GEMV for decode
/// (tokens = 1) and tiled GEMM for prefill (several tokens share each unpacked weight chunk).
/// </summary>
/// <remarks>
/// Paths, widest first (STYLE.md §2.3): <see cref="GemmVector256"/> (AVX2 <c>vpmaddubsw</c>/<c>vpmaddwd</c>),
/// <see cref="GemmVector128"/> (SSSE3, the same arithmetic on 16-byte halves), then the reference. All accumulate exact
/// int32 sums, so lane order cannot change a result. The weight layout is the matrix's own packed codes; the
/// activations are rearranged instead (<see cref="TernaryActivations"/>). A row whose packed length is not a
/// whole number of 32-byte chunks has its last bytes copied to a zero-padded 32-byte buffer: no column is skipped
/// and no byte past the matrix is read.
/// </remarks>
public static partial class TernaryKernels
{
    /// <summary>Rows per block of the GEMM loop: a block's packed rows stay in L1 while every token tile passes over them.</summary>
    internal const int RowBlock = 4;

    /// <summary>Tokens per GEMM tile: four int32 accumulators and the four unpacked code registers fit the 16 YMM registers.</summary>
    internal const int TokenTile = 4;

    [ThreadStatic] private static TernaryActivations? t_activations;

    /// <summary>The widest path this process runs: <c>Vector256</c>, <c>Vector128</c> or <c>Reference</c>.</summary>
    public static string Path => Avx2.IsSupported ? "Vector256" : Ssse3.IsSupported ? "Vector128" : "Reference";

    /// <summary>acc[t, n] = Σ_k W[n, k] · q[t, k] through the widest available path; q (tokens, K), acc (tokens, N).</summary>
    public static void Gemm(TernaryMatrix w, ReadOnlySpan<sbyte> q, int tokens, Span<int> acc)
    {
        TernaryGemm.CheckShapes(w, q.Length, acc.Length, tokens);
        if (Avx2.IsSupported) GemmVector256(w, q, tokens, acc);
        else if (Ssse3.IsSupported) GemmVector128(w, q, tokens, acc);
        else TernaryGemm.Reference(w, q, tokens, acc);
    }

    /// <summary>The AVX2 path over all rows.</summary>
    internal static unsafe void GemmVector256(TernaryMatrix w, ReadOnlySpan<sbyte> q, int tokens, Span<int> acc) =>
        AllRows(w, q, tokens, acc, &RowsVector256);

    /// <summary>The SSSE3 path over all rows.</summary>
    internal static unsafe void GemmVector128(TernaryMatrix w, ReadOnlySpan<sbyte> q, int tokens, Span<int> acc) =>
        AllRows(w, q, tokens, acc, &RowsVector128);

    /// <summary>Prepares the activations on this thread's buffer and runs <paramref name="rows"/> over every row.</summary>
    private static unsafe void AllRows(TernaryMatrix w, ReadOnlySpan<sbyte> q, int tokens, Span<int> acc,
        delegate*<TernaryMatrix, byte*, TernaryActivations, int, int, int*, void> rows)
    {
        TernaryGemm.CheckShapes(w, q.Length, acc.Length, tokens);
        TernaryActivations a = t_activations ??= new TernaryActivations();
        a.Prepare(q, tokens, w.Cols);
        fixed (byte* wp = w.Packed.Span)
        fixed (int* ap = acc)
            rows(w, wp, a, 0, w.Rows, ap);
    }

    /// <summary>Rows [rowStart, rowEnd) of the product through the widest path (worker entry of the fast backend).</summary>
    internal static unsafe void Rows(TernaryMatrix w, byte* wp, TernaryActivations a, int rowStart, int rowEnd, int* acc)
    {
        if (Avx2.IsSupported) RowsVector256(w, wp, a, rowStart, rowEnd, acc);
        else if (Ssse3.IsSupported) RowsVector128(w, wp, a, rowStart, rowEnd, acc);
        else RowsScalar(w, wp, a, rowStart, rowEnd, acc);
    }

    /// <summary>The reference arithmetic on the rearranged activations (machines without SSSE3 or AVX2).</summary>
    internal static unsafe void RowsScalar(TernaryMatrix w, byte* wp, TernaryActivations a, int rowStart, int rowEnd, int* acc)
    {
        int n = w.Rows, k = w.Cols, rowBytes = w.RowBytes;
        for (int r = rowStart; r < rowEnd; r++)
        {
            byte* row = wp + (long)r * rowBytes;
            for (int t = 0; t < a.Tokens; t++)
            {
                sbyte* planes = a.Planes + (long)t * a.Stride;
                int sum = 0;
                for (int c = 0; c < k; c++)
                {
                    int code = (row[c >> 2] >> ((c & 3) * 2)) & 3;
                    int o = c & (TernaryActivations.Chunk - 1);
                    sum += code * planes[c - o + (o & 3) * TernaryActivations.Plane + (o >> 2)];
                }
                acc[(long)t * n + r] = sum - a.Sums[t];
            }
        }
    }

    /// <summary>Copies the last partial chunk of a row (rowBytes mod 32 bytes) into a zeroed 32-byte buffer.</summary>
    internal static unsafe void CopyTail(byte* row, int fullChunks, int tailBytes, byte* buffer)
    {
        new Span<byte>(buffer, TernaryActivations.Plane).Clear();
        new ReadOnlySpan<byte>(row + fullChunks * TernaryActivations.Plane, tailBytes).CopyTo(new Span<byte>(buffer, tailBytes));
    }
}
