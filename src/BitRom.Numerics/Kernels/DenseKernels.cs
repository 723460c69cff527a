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
    /// <summary>y (tokens, N) = W x through the widest path, single-threaded.</summary>
    public static void Gemm(DenseMatrix w, ReadOnlySpan<float> x, int tokens, Span<float> y)
    {
        CheckShapes(w, x.Length, y.Length, tokens);
        float[] row = new float[w.Cols];
        Rows(w, x, tokens, 0, w.Rows, y, row);
    }

    /// <summary>Rows [start, end) for every token; <paramref name="row"/> is decode scratch of at least K floats.</summary>
    internal static void Rows(DenseMatrix w, ReadOnlySpan<float> x, int tokens, int start, int end, Span<float> y, Span<float> row)
    {
        int n = w.Rows, k = w.Cols;
        bool wide = Avx2.IsSupported;
        for (int r = start; r < end; r++)
        {
            ReadOnlySpan<float> decoded;
            if (w.Type == DenseElementType.F32 && BitConverter.IsLittleEndian)
                decoded = MemoryMarshal.Cast<byte, float>(w.RowSpan(r));
            else
            {
                if (wide) DecodeRowVector256(w, r, row);
                else w.DecodeRow(r, row);
                decoded = row[..k];
            }
            for (int t = 0; t < tokens; t++) y[t * n + r] = FloatOps.Dot(decoded, x.Slice(t * k, k));
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
