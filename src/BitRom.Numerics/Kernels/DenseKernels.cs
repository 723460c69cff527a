using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BitRom.Numerics.Floats;

namespace BitRom.Numerics.Kernels;

/// <summary>
/// Fast dense head (bf16/f16/f32/Q8_0 rows × float activations), bit-identical to <see cref="DenseGemm.Reference"/>:
/// each row is decoded exactly to float (SIMD), then dotted with every token through <see cref="FloatOps.Dot"/>'s
/// fixed tree, whose Vector256 path reproduces the reference order.
/// </summary>
public static class DenseKernels
{
    /// <summary>Rows decoded and dotted together: four independent accumulator chains hide the add latency
    /// that bounds one row's dot product (each row keeps its own reference order, so results are unchanged).</summary>
    internal const int RowBlock = 4;

    /// <summary>y (tokens, N) = W x through the widest path, single-threaded.</summary>
    public static void Gemm(DenseMatrix w, ReadOnlySpan<float> x, int tokens, Span<float> y)
    {
        CheckShapes(w, x.Length, y.Length, tokens);
        float[] rows = new float[RowBlock * w.Cols];
        Rows(w, x, tokens, 0, w.Rows, y, rows);
    }

    /// <summary>Rows [start, end) for every token; <paramref name="scratch"/> holds at least <see cref="RowBlock"/>·K floats.</summary>
    internal static void Rows(DenseMatrix w, ReadOnlySpan<float> x, int tokens, int start, int end, Span<float> y, Span<float> scratch)
    {
        int n = w.Rows, k = w.Cols, r = start;
        if (Avx2.IsSupported && w.Type == DenseElementType.BF16)
        {
            // bf16 → float is a shift, so decode inside the dot: no scratch round trip (the head's common type)
            for (; r + RowBlock <= end; r += RowBlock)
                for (int t = 0; t < tokens; t++)
                    Dot4BFloat16Vector256(w, r, x.Slice(t * k, k), y.Slice(t * n + r, RowBlock));
        }
        else if (Avx2.IsSupported)
        {
            for (; r + RowBlock <= end; r += RowBlock)
            {
                ReadOnlySpan<float> r0 = Decoded(w, r, scratch[..k]), r1 = Decoded(w, r + 1, scratch.Slice(k, k));
                ReadOnlySpan<float> r2 = Decoded(w, r + 2, scratch.Slice(2 * k, k)), r3 = Decoded(w, r + 3, scratch.Slice(3 * k, k));
                for (int t = 0; t < tokens; t++)
                {
                    Span<float> yt = y.Slice(t * n + r, RowBlock);
                    FloatOps.Dot4Vector256(r0, r1, r2, r3, x.Slice(t * k, k), yt);
                }
            }
        }
        for (; r < end; r++)
        {
            ReadOnlySpan<float> decoded = Decoded(w, r, scratch[..k]);
            for (int t = 0; t < tokens; t++) y[t * n + r] = FloatOps.Dot(decoded, x.Slice(t * k, k));
        }
    }

    /// <summary>
    /// Rows [start, end) for every token from the interleaved layout (whole blocks; <paramref name="start"/> is a
    /// multiple of <see cref="RowBlock"/>), the rows past the last block through <see cref="Rows"/>.
    /// </summary>
    internal static unsafe void RowsInterleaved(InterleavedDense iw, ReadOnlySpan<float> x, int tokens, int start, int end, Span<float> y, Span<float> scratch)
    {
        DenseMatrix w = iw.Source;
        int n = w.Rows, k = w.Cols, r = start, blockEnd = Math.Min(end, iw.Blocks * RowBlock);
        if (start % RowBlock != 0) throw new ArgumentException($"{w.Name}: interleaved rows start at a block boundary, got {start}");
        if (x.Length < (long)tokens * k || y.Length < (long)tokens * n) throw new ArgumentException($"{w.Name}: spans too short for {tokens} tokens");
        fixed (float* px = x)
        fixed (float* py = y)
            for (; r + RowBlock <= blockEnd; r += RowBlock)
            {
                byte* block = iw.Block(r / RowBlock);
                for (int t = 0; t < tokens; t++) Dot4Interleaved(iw, block, px + (long)t * k, py + (long)t * n + r);
            }
        if (r < end) Rows(w, x, tokens, r, end, y, scratch);
    }

    /// <summary>The four rows of one interleaved block dotted with x, each in the reference order (<see cref="FloatOps.Dot4"/>).</summary>
    /// <remarks>One loop per element type, each in its own method, so the four accumulators stay in registers.</remarks>
    private static unsafe void Dot4Interleaved(InterleavedDense iw, byte* block, float* x, float* y)
    {
        int groups = iw.Groups;
        switch (iw.Source.Type)
        {
            case DenseElementType.BF16: Dot4InterleavedBFloat16((ushort*)block, groups, x, y); break;
            case DenseElementType.F32: Dot4InterleavedSingle((float*)block, groups, x, y); break;
            default: Dot4InterleavedHalf((ushort*)block, groups, x, y); break;
        }
        int tail = iw.TailCols, eb = iw.ElementBytes;
        if (tail == 0) return;
        byte* tails = block + (long)groups * RowBlock * InterleavedDense.Group * eb;
        for (int r = 0; r < RowBlock; r++)
            for (int i = 0; i < tail; i++)
                y[r] += ElementAt(iw.Source.Type, tails + (r * tail + i) * eb) * x[groups * InterleavedDense.Group + i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Dot4InterleavedBFloat16(ushort* p, int groups, float* x, float* y)
    {
        Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        for (int g = 0; g < groups; g++, p += RowBlock * InterleavedDense.Group)
        {
            Vector256<float> xv = Avx.LoadVector256(x + g * InterleavedDense.Group);
            a0 = Avx.Add(a0, Avx.Multiply(Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32(p), 16).AsSingle(), xv));
            a1 = Avx.Add(a1, Avx.Multiply(Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32(p + 8), 16).AsSingle(), xv));
            a2 = Avx.Add(a2, Avx.Multiply(Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32(p + 16), 16).AsSingle(), xv));
            a3 = Avx.Add(a3, Avx.Multiply(Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32(p + 24), 16).AsSingle(), xv));
        }
        Store4(a0, a1, a2, a3, y);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Dot4InterleavedSingle(float* p, int groups, float* x, float* y)
    {
        Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        for (int g = 0; g < groups; g++, p += RowBlock * InterleavedDense.Group)
        {
            Vector256<float> xv = Avx.LoadVector256(x + g * InterleavedDense.Group);
            a0 = Avx.Add(a0, Avx.Multiply(Avx.LoadVector256(p), xv));
            a1 = Avx.Add(a1, Avx.Multiply(Avx.LoadVector256(p + 8), xv));
            a2 = Avx.Add(a2, Avx.Multiply(Avx.LoadVector256(p + 16), xv));
            a3 = Avx.Add(a3, Avx.Multiply(Avx.LoadVector256(p + 24), xv));
        }
        Store4(a0, a1, a2, a3, y);
    }

    /// <summary>F16: each group's 32 values decoded exactly into a buffer (scalar for Inf/NaN lanes), then as F32.</summary>
    private static unsafe void Dot4InterleavedHalf(ushort* p, int groups, float* x, float* y)
    {
        Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        float* d = stackalloc float[RowBlock * InterleavedDense.Group];
        for (int g = 0; g < groups; g++, p += RowBlock * InterleavedDense.Group)
        {
            for (int j = 0; j < RowBlock * InterleavedDense.Group; j += InterleavedDense.Group)
                if (!HalfToSingle8(p + j, d + j))
                    for (int e = j; e < j + InterleavedDense.Group; e++) d[e] = FloatFormats.HalfToFloat(p[e]);
            Vector256<float> xv = Avx.LoadVector256(x + g * InterleavedDense.Group);
            a0 = Avx.Add(a0, Avx.Multiply(Avx.LoadVector256(d), xv));
            a1 = Avx.Add(a1, Avx.Multiply(Avx.LoadVector256(d + 8), xv));
            a2 = Avx.Add(a2, Avx.Multiply(Avx.LoadVector256(d + 16), xv));
            a3 = Avx.Add(a3, Avx.Multiply(Avx.LoadVector256(d + 24), xv));
        }
        Store4(a0, a1, a2, a3, y);
    }

    /// <summary>y[r] = the reference's final combine of accumulator r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store4(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3, float* y)
    {
        y[0] = FloatOps.Combine(a0.GetLower(), a0.GetUpper());
        y[1] = FloatOps.Combine(a1.GetLower(), a1.GetUpper());
        y[2] = FloatOps.Combine(a2.GetLower(), a2.GetUpper());
        y[3] = FloatOps.Combine(a3.GetLower(), a3.GetUpper());
    }

    /// <summary>One stored element as float, exactly as <see cref="DenseMatrix.DecodeRow"/> converts it (F32, F16, BF16).</summary>
    private static unsafe float ElementAt(DenseElementType type, byte* p) => type switch
    {
        DenseElementType.F32 => *(float*)p,
        DenseElementType.F16 => FloatFormats.HalfToFloat(*(ushort*)p),
        _ => FloatFormats.BFloat16ToFloat(*(ushort*)p),
    };

    /// <summary>Row <paramref name="r"/> as floats: F32 rows in place, others decoded into <paramref name="scratch"/>.</summary>
    private static ReadOnlySpan<float> Decoded(DenseMatrix w, int r, Span<float> scratch)
    {
        if (w.Type == DenseElementType.F32 && BitConverter.IsLittleEndian) return MemoryMarshal.Cast<byte, float>(w.RowSpan(r));
        if (Avx2.IsSupported) DecodeRowVector256(w, r, scratch);
        else w.DecodeRow(r, scratch);
        return scratch;
    }

    /// <summary>Four bf16 rows from <paramref name="r"/> dotted with x, each in the reference order (<see cref="FloatOps.Dot4"/>).</summary>
    internal static unsafe void Dot4BFloat16Vector256(DenseMatrix w, int r, ReadOnlySpan<float> x, Span<float> y)
    {
        int k = w.Cols, i = 0;
        if (x.Length < k || y.Length < RowBlock || r + RowBlock > w.Rows) throw new ArgumentException("Dot4BFloat16: spans too short");
        fixed (byte* first = w.RowSpan(r))
        fixed (float* px = x)
        {
            ushort* p0 = (ushort*)first, p1 = p0 + k, p2 = p1 + k, p3 = p2 + k;
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i + FloatOps.Lanes <= k; i += FloatOps.Lanes)
            {
                Vector256<float> xv = Avx.LoadVector256(px + i);
                a0 = Avx.Add(a0, Avx.Multiply(Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32(p0 + i), 16).AsSingle(), xv));
                a1 = Avx.Add(a1, Avx.Multiply(Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32(p1 + i), 16).AsSingle(), xv));
                a2 = Avx.Add(a2, Avx.Multiply(Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32(p2 + i), 16).AsSingle(), xv));
                a3 = Avx.Add(a3, Avx.Multiply(Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32(p3 + i), 16).AsSingle(), xv));
            }
            float s0 = FloatOps.Combine(a0.GetLower(), a0.GetUpper()), s1 = FloatOps.Combine(a1.GetLower(), a1.GetUpper());
            float s2 = FloatOps.Combine(a2.GetLower(), a2.GetUpper()), s3 = FloatOps.Combine(a3.GetLower(), a3.GetUpper());
            for (; i < k; i++)
            {
                s0 += FloatFormats.BFloat16ToFloat(p0[i]) * px[i];
                s1 += FloatFormats.BFloat16ToFloat(p1[i]) * px[i];
                s2 += FloatFormats.BFloat16ToFloat(p2[i]) * px[i];
                s3 += FloatFormats.BFloat16ToFloat(p3[i]) * px[i];
            }
            y[0] = s0;
            y[1] = s1;
            y[2] = s2;
            y[3] = s3;
        }
    }

    /// <summary>Throws when spans do not match the matrix shape and token count.</summary>
    internal static void CheckShapes(DenseMatrix w, int xLength, int yLength, int tokens)
    {
        if (tokens < 0 || xLength < (long)tokens * w.Cols || yLength < (long)tokens * w.Rows)
            throw new ArgumentException($"{w.Name}: {tokens} tokens need x >= {(long)tokens * w.Cols} and y >= {(long)tokens * w.Rows}, got {xLength} and {yLength}");
    }

    /// <summary>Decodes row <paramref name="r"/> exactly as <see cref="DenseMatrix.DecodeRow"/> does, 8 values at a time (AVX2).</summary>
    internal static unsafe void DecodeRowVector256(DenseMatrix w, int r, Span<float> dst)
    {
        int k = w.Cols;
        ReadOnlySpan<byte> src = w.RowSpan(r);
        if (dst.Length < k) throw new ArgumentException($"{w.Name}: decode scratch holds {dst.Length} of {k} values");
        fixed (byte* s = src)
        fixed (float* d = dst)
        {
            switch (w.Type)
            {
                case DenseElementType.F32:
                    src.CopyTo(MemoryMarshal.AsBytes(dst));
                    break;
                case DenseElementType.BF16:
                {
                    int i = 0;
                    for (; i + 8 <= k; i += 8)
                        Avx.Store(d + i, Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32((ushort*)s + i), 16).AsSingle());
                    for (; i < k; i++) d[i] = FloatFormats.BFloat16ToFloat(((ushort*)s)[i]);
                    break;
                }
                case DenseElementType.F16:
                {
                    int i = 0;
                    for (; i + 8 <= k; i += 8)
                        if (!HalfToSingle8((ushort*)s + i, d + i))
                            for (int j = i; j < i + 8; j++) d[j] = FloatFormats.HalfToFloat(((ushort*)s)[j]);
                    for (; i < k; i++) d[i] = FloatFormats.HalfToFloat(((ushort*)s)[i]);
                    break;
                }
                case DenseElementType.Q8_0:
                {
                    const int blockBytes = 2 + DenseMatrix.Q8Block;
                    for (int b = 0; b < k / DenseMatrix.Q8Block; b++)
                    {
                        byte* block = s + b * blockBytes;
                        // d·q in float32 as ggml's dequantize_row_q8_0: int8 → float is exact, one rounding in the product.
                        Vector256<float> scale = Vector256.Create(FloatFormats.HalfToFloat(BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(block, 2))));
                        float* o = d + b * DenseMatrix.Q8Block;
                        for (int j = 0; j < DenseMatrix.Q8Block; j += 8)
                            Avx.Store(o + j, Avx.Multiply(Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32((sbyte*)block + 2 + j)), scale));
                    }
                    break;
                }
                default:
                    w.DecodeRow(r, dst);
                    break;
            }
        }
    }

    /// <summary>
    /// Eight IEEE binary16 → float32, exact: normals rebias the exponent (+112 « 23), subnormals are m · 2^−24
    /// (m &lt; 1024 converts exactly and the power-of-two product is exact). Returns false, writing nothing, when a
    /// lane is Inf or NaN so the caller uses the scalar conversion and NaN payloads match it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe bool HalfToSingle8(ushort* src, float* dst)
    {
        Vector256<int> h = Avx2.ConvertToVector256Int32(src);
        Vector256<int> exponent = Avx2.And(h, Vector256.Create(0x7C00));
        if (!Avx2.CompareEqual(exponent, Vector256.Create(0x7C00)).Equals(Vector256<int>.Zero)) return false;
        Vector256<int> magnitude = Avx2.And(h, Vector256.Create(0x7FFF));
        Vector256<int> sign = Avx2.ShiftLeftLogical(Avx2.And(h, Vector256.Create(0x8000)), 16);
        Vector256<int> normal = Avx2.Add(Avx2.ShiftLeftLogical(magnitude, 13), Vector256.Create(112 << 23));
        Vector256<int> subnormal = Avx.Multiply(Avx.ConvertToVector256Single(magnitude), Vector256.Create(1f / (1 << 24))).AsInt32();
        Vector256<int> isSubnormal = Avx2.CompareEqual(exponent, Vector256<int>.Zero);
        Avx.Store(dst, Avx2.Or(sign, Avx2.BlendVariable(normal.AsByte(), subnormal.AsByte(), isSubnormal.AsByte()).AsInt32()).AsSingle());
        return true;
    }
}
