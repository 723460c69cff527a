using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BitRom.Numerics.Ternary;

namespace BitRom.Numerics.Kernels;

/// <summary>The AVX2 ternary kernel: one 32-byte load = 128 trits, four <c>vpmaddubsw</c> against four activation planes.</summary>
public static partial class TernaryKernels
{
    /// <summary>Rows [rowStart, rowEnd) for every prepared token; acc is (tokens, N).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void RowsVector256(TernaryMatrix w, byte* wp, TernaryActivations a, int rowStart, int rowEnd, int* acc)
    {
        int n = w.Rows, rowBytes = w.RowBytes, tokens = a.Tokens;
        int full = rowBytes / TernaryActivations.Plane, tail = rowBytes % TernaryActivations.Plane;
        byte* tailBuffer = stackalloc byte[TernaryActivations.Plane];
        for (int r0 = rowStart; r0 < rowEnd; r0 += RowBlock)
        {
            int r1 = Math.Min(r0 + RowBlock, rowEnd);
            int t = 0;
            for (; t + TokenTile <= tokens; t += TokenTile)
                for (int r = r0; r < r1; r++)
                {
                    byte* row = wp + (long)r * rowBytes;
                    if (tail != 0) CopyTail(row, full, tail, tailBuffer);
                    Tile4Vector256(row, full, tail != 0 ? tailBuffer : null, a, t, acc + (long)t * n + r, n);
                }
            for (; t < tokens; t++)
                for (int r = r0; r < r1; r++)
                {
                    byte* row = wp + (long)r * rowBytes;
                    if (tail != 0) CopyTail(row, full, tail, tailBuffer);
                    acc[(long)t * n + r] = Tile1Vector256(row, full, tail != 0 ? tailBuffer : null, a.Planes + (long)t * a.Stride) - a.Sums[t];
                }
        }
    }

    /// <summary>Σ code·q over one row and one token (the decode GEMV inner loop).</summary>
    /// <remarks>
    /// Four chunks per iteration: each chunk's int16 lane sums lie within [−2048, 2032] (<see cref="ChunkFewerOps256"/>),
    /// so four of them stay within [−8192, 8128] before one <c>vpmaddwd</c> widens them. Decode is bound by this
    /// loop's vector-ALU µops, not by loads, so every µop saved per 128 trits is speed (13 instead of 16 per chunk).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe int Tile1Vector256(byte* row, int full, byte* tail, sbyte* q)
    {
        Vector256<int> acc = Vector256<int>.Zero;
        Vector256<short> ones = Vector256.Create((short)1);
        int c = 0;
        for (; c + 4 <= full; c += 4)
        {
            Vector256<short> p = Avx2.Add(
                Avx2.Add(ChunkFewerOps256(Avx.LoadVector256(row + c * 32), q + c * 128), ChunkFewerOps256(Avx.LoadVector256(row + (c + 1) * 32), q + (c + 1) * 128)),
                Avx2.Add(ChunkFewerOps256(Avx.LoadVector256(row + (c + 2) * 32), q + (c + 2) * 128), ChunkFewerOps256(Avx.LoadVector256(row + (c + 3) * 32), q + (c + 3) * 128)));
            acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(p, ones));
        }
        for (; c < full; c++) acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(ChunkFewerOps256(Avx.LoadVector256(row + c * 32), q + c * 128), ones));
        if (tail != null) acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(ChunkFewerOps256(Avx.LoadVector256(tail), q + c * 128), ones));
        return HorizontalSum(acc);
    }

    /// <summary>
    /// Σ over the four planes of code·q for one chunk with one shift: planes 0 and 2 are masked with 3 in place
    /// (w and w ≫ 4), planes 1 and 3 with 12, which leaves 4·code. Their <c>vpmaddubsw</c> pairs are then exactly
    /// 4× the true ones (4·code ≤ 8, |q| ≤ 128: pairs within [−2048, 2032], no saturation), the two add within
    /// [−4096, 4064], and an arithmetic shift by 2 divides exactly. Result: sixteen int16 sums within [−2048, 2032].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<short> ChunkFewerOps256(Vector256<byte> w, sbyte* q)
    {
        Vector256<byte> low = Vector256.Create((byte)0x03), high = Vector256.Create((byte)0x0C);
        Vector256<byte> w4 = Avx2.ShiftRightLogical(w.AsUInt16(), 4).AsByte();
        Vector256<short> even = Avx2.Add(Avx2.MultiplyAddAdjacent(Avx2.And(w, low), Avx.LoadVector256(q)),
            Avx2.MultiplyAddAdjacent(Avx2.And(w4, low), Avx.LoadVector256(q + 64)));
        Vector256<short> odd4 = Avx2.Add(Avx2.MultiplyAddAdjacent(Avx2.And(w, high), Avx.LoadVector256(q + 32)),
            Avx2.MultiplyAddAdjacent(Avx2.And(w4, high), Avx.LoadVector256(q + 96)));
        return Avx2.Add(even, Avx2.ShiftRightArithmetic(odd4, 2));
    }

    /// <summary>One row against four tokens: each chunk is unpacked once and used four times.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile4Vector256(byte* row, int full, byte* tail, TernaryActivations a, int t, int* acc, int n)
    {
        long stride = a.Stride;
        sbyte* q = a.Planes + t * stride;
        Vector256<int> s0 = Vector256<int>.Zero, s1 = s0, s2 = s0, s3 = s0;
        int chunks = full + (tail != null ? 1 : 0);
        Vector256<byte> mask = Vector256.Create((byte)3);
        Vector256<short> ones = Vector256.Create((short)1);
        for (int c = 0; c < chunks; c++)
        {
            Vector256<byte> w = Avx.LoadVector256(c < full ? row + c * 32 : tail);
            Vector256<byte> c0 = Avx2.And(w, mask);
            Vector256<byte> c1 = Avx2.And(Avx2.ShiftRightLogical(w.AsUInt16(), 2).AsByte(), mask);
            Vector256<byte> c2 = Avx2.And(Avx2.ShiftRightLogical(w.AsUInt16(), 4).AsByte(), mask);
            Vector256<byte> c3 = Avx2.And(Avx2.ShiftRightLogical(w.AsUInt16(), 6).AsByte(), mask);
            sbyte* qc = q + c * 128;
            s0 = Avx2.Add(s0, Avx2.MultiplyAddAdjacent(Planes256(c0, c1, c2, c3, qc), ones));
            s1 = Avx2.Add(s1, Avx2.MultiplyAddAdjacent(Planes256(c0, c1, c2, c3, qc + stride), ones));
            s2 = Avx2.Add(s2, Avx2.MultiplyAddAdjacent(Planes256(c0, c1, c2, c3, qc + 2 * stride), ones));
            s3 = Avx2.Add(s3, Avx2.MultiplyAddAdjacent(Planes256(c0, c1, c2, c3, qc + 3 * stride), ones));
        }
        int* sums = a.Sums + t;
        acc[0] = HorizontalSum(s0) - sums[0];
        acc[n] = HorizontalSum(s1) - sums[1];
        acc[2 * n] = HorizontalSum(s2) - sums[2];
        acc[3 * n] = HorizontalSum(s3) - sums[3];
    }

    /// <summary>
    /// Σ over the four planes of code·q as sixteen int16 lane sums. <c>vpmaddubsw</c> gives int16 pairs in
    /// [−512, 508] (codes ≤ 2, |q| ≤ 128), four of them stay within [−2048, 2032], so the int16 adds cannot
    /// saturate; the caller widens with <c>vpmaddwd</c> against ones.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<short> Planes256(Vector256<byte> c0, Vector256<byte> c1, Vector256<byte> c2, Vector256<byte> c3, sbyte* q)
    {
        return Avx2.Add(
            Avx2.Add(Avx2.MultiplyAddAdjacent(c0, Avx.LoadVector256(q)), Avx2.MultiplyAddAdjacent(c1, Avx.LoadVector256(q + 32))),
            Avx2.Add(Avx2.MultiplyAddAdjacent(c2, Avx.LoadVector256(q + 64)), Avx2.MultiplyAddAdjacent(c3, Avx.LoadVector256(q + 96))));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HorizontalSum(Vector256<int> v)
    {
        Vector128<int> h = Sse2.Add(v.GetLower(), v.GetUpper());
        h = Sse2.Add(h, Sse2.Shuffle(h, 0b_01_00_11_10));
        h = Sse2.Add(h, Sse2.Shuffle(h, 0b_10_11_00_01));
        return h.ToScalar();
    }
}
