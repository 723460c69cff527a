using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BitRom.Model.Training;

/// <summary>
/// The trainer's float matrix product C (M x N) (+)= A (M x K) · B (K x N), all row-major. The trainer never
/// needs bit-exact floats except in BitLinear, where A and B hold small integers (int8 activations, trits)
/// whose sums stay below 2^24 and are therefore exact in any order. Every other product (forward, backward,
/// weight gradient) is expressed through this one kernel with explicit transposes (<see cref="Transpose"/>).
/// </summary>
public static class Gemm
{
    /// <summary>Rows of A per micro-tile (4 rows x 16 columns = 8 Vector256 accumulators).</summary>
    private const int TileRows = 4;

    /// <summary>Rows per parallel work item: large enough to amortize task overhead.</summary>
    private const int RowsPerTask = 16;

    /// <summary>Reference: scalar triple loop, accumulating in float in k order.</summary>
    public static void Reference(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float s = accumulate ? c[i * n + j] : 0f;
                for (int p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
                c[i * n + j] = s;
            }
    }

    /// <summary>C (+)= A·B, parallel over row blocks of C, Vector256 micro-tiles (FMA when available).</summary>
    public static void Multiply(float[] a, float[] b, float[] c, int m, int k, int n, bool accumulate)
    {
        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
            throw new ArgumentException($"gemm [{m}x{k}]·[{k}x{n}] with buffers {a.Length}, {b.Length}, {c.Length}");
        int tasks = (m + RowsPerTask - 1) / RowsPerTask;
        if (tasks <= 1 || (long)m * k * n < 1 << 16) Rows(a, b, c, 0, m, k, n, accumulate);
        else Parallel.For(0, tasks, t => Rows(a, b, c, t * RowsPerTask, Math.Min(m, (t + 1) * RowsPerTask), k, n, accumulate));
    }

    /// <summary>dst (cols x rows) = srcᵀ for src (rows x cols).</summary>
    public static void Transpose(ReadOnlySpan<float> src, Span<float> dst, int rows, int cols)
    {
        const int Block = 32;
        for (int i0 = 0; i0 < rows; i0 += Block)
            for (int j0 = 0; j0 < cols; j0 += Block)
            {
                int i1 = Math.Min(rows, i0 + Block), j1 = Math.Min(cols, j0 + Block);
                for (int i = i0; i < i1; i++)
                    for (int j = j0; j < j1; j++) dst[j * rows + i] = src[i * cols + j];
            }
    }

    private static unsafe void Rows(float[] a, float[] b, float[] c, int i0, int i1, int k, int n, bool accumulate)
    {
        fixed (float* pa = a, pb = b, pc = c)
        {
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; j + 16 <= n; j += 16)
                {
                    int i = i0;
                    for (; i + TileRows <= i1; i += TileRows) Tile4x16(pa + i * k, pb + j, pc + i * n + j, k, n, accumulate);
                    for (; i < i1; i++) Tile1x16(pa + i * k, pb + j, pc + i * n + j, k, n, accumulate);
                }
            }
            for (int i = i0; i < i1; i++)
                for (int jj = j; jj < n; jj++)
                {
                    float s = accumulate ? pc[i * n + jj] : 0f;
                    for (int p = 0; p < k; p++) s += pa[i * k + p] * pb[p * n + jj];
                    pc[i * n + jj] = s;
                }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fmadd(Vector256<float> acc, Vector256<float> x, Vector256<float> y) =>
        Fma.IsSupported ? Fma.MultiplyAdd(x, y, acc) : acc + x * y;

    private static unsafe void Tile4x16(float* a, float* b, float* c, int k, int n, bool accumulate)
    {
        Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31;
        if (accumulate)
        {
            c00 = Vector256.Load(c); c01 = Vector256.Load(c + 8);
            c10 = Vector256.Load(c + n); c11 = Vector256.Load(c + n + 8);
            c20 = Vector256.Load(c + 2 * n); c21 = Vector256.Load(c + 2 * n + 8);
            c30 = Vector256.Load(c + 3 * n); c31 = Vector256.Load(c + 3 * n + 8);
        }
        else c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = Vector256<float>.Zero;
        for (int p = 0; p < k; p++)
        {
            Vector256<float> b0 = Vector256.Load(b + p * n), b1 = Vector256.Load(b + p * n + 8);
            var a0 = Vector256.Create(a[p]);
            c00 = Fmadd(c00, a0, b0); c01 = Fmadd(c01, a0, b1);
            var a1 = Vector256.Create(a[k + p]);
            c10 = Fmadd(c10, a1, b0); c11 = Fmadd(c11, a1, b1);
            var a2 = Vector256.Create(a[2 * k + p]);
            c20 = Fmadd(c20, a2, b0); c21 = Fmadd(c21, a2, b1);
            var a3 = Vector256.Create(a[3 * k + p]);
            c30 = Fmadd(c30, a3, b0); c31 = Fmadd(c31, a3, b1);
        }
        c00.Store(c); c01.Store(c + 8);
        c10.Store(c + n); c11.Store(c + n + 8);
        c20.Store(c + 2 * n); c21.Store(c + 2 * n + 8);
        c30.Store(c + 3 * n); c31.Store(c + 3 * n + 8);
    }

    private static unsafe void Tile1x16(float* a, float* b, float* c, int k, int n, bool accumulate)
    {
        Vector256<float> c0 = accumulate ? Vector256.Load(c) : Vector256<float>.Zero;
        Vector256<float> c1 = accumulate ? Vector256.Load(c + 8) : Vector256<float>.Zero;
        for (int p = 0; p < k; p++)
        {
            var ap = Vector256.Create(a[p]);
            c0 = Fmadd(c0, ap, Vector256.Load(b + p * n));
            c1 = Fmadd(c1, ap, Vector256.Load(b + p * n + 8));
        }
        c0.Store(c);
        c1.Store(c + 8);
    }
}
