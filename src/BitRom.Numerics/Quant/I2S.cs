using System.Buffers.Binary;

namespace BitRom.Numerics.Quant;

/// <summary>
/// bitnet.cpp I2_S tensors (<c>quantize_i2_s</c> in <c>src/ggml-bitnet-mad.cpp</c>, x86 ACT_PARALLEL build; FORMATS.md §4.2):
/// the whole tensor flattened row-major, cut into 128-weight blocks of 32 bytes; byte j of block b holds weight
/// b·128 + j in bits 7-6, +32 in bits 5-4, +64 in bits 3-2, +96 in bits 1-0 (MSB-first groups, code = trit + 1),
/// then one f32 scale at byte n/4, zero-padded to 32 bytes. The interleave lets AVX2 unpack 32 weights per shift.
/// </summary>
/// <remarks>The ARM build (QK_I2_S = 64) and the non-ACT_PARALLEL 4-row layout are not produced by released files
/// as far as FORMATS.md §4.2 knows; only the 128-interleaved layout is read and written.</remarks>
public static class I2S
{
    /// <summary>Weights per block (x86 <c>QK_I2_S</c>).</summary>
    public const int BlockValues = 128;

    /// <summary>Bytes per block.</summary>
    public const int BlockBytes = 32;

    /// <summary>Bytes of a tensor of <paramref name="n"/> weights (n/4 + 32).</summary>
    public static long TensorBytes(long n) => n / 4 + QuantTypeTraits.I2SScaleBytes;

    /// <summary>Encodes <paramref name="trits"/> (length a multiple of 128) and the tensor scale.</summary>
    public static void Encode(ReadOnlySpan<sbyte> trits, float scale, Span<byte> dst)
    {
        int n = trits.Length;
        if (n % BlockValues != 0) throw new ArgumentException($"I2_S needs a multiple of {BlockValues} weights, got {n}");
        if (dst.Length != TensorBytes(n)) throw new ArgumentException($"I2_S tensor of {n} weights needs {TensorBytes(n)} bytes, got {dst.Length}");
        dst.Clear();
        for (int i = 0; i < n; i++)
        {
            int t = trits[i];
            if (t < -1 || t > 1) throw new ArgumentException($"value {t} at index {i} is not a trit");
            int blk = i / BlockValues, r = i % BlockValues, group = r / BlockBytes, j = r % BlockBytes;
            dst[blk * BlockBytes + j] |= (byte)((t + 1) << (6 - 2 * group));
        }
        BinaryPrimitives.WriteSingleLittleEndian(dst[(n / 4)..], scale);
    }

    /// <summary>Decodes <paramref name="trits"/>.Length weights; returns the scale. Throws on the invalid code 3.</summary>
    public static float Decode(ReadOnlySpan<byte> src, Span<sbyte> trits)
    {
        int n = trits.Length;
        if (n % BlockValues != 0 || src.Length != TensorBytes(n))
            throw new InvalidDataException($"I2_S tensor of {n} weights needs {TensorBytes(n)} bytes (a multiple of {BlockValues} weights), got {src.Length}");
        for (int i = 0; i < n; i++) trits[i] = (sbyte)(Code(src, i) - 1);
        return BinaryPrimitives.ReadSingleLittleEndian(src[(n / 4)..]);
    }

    /// <summary>The 2-bit code of weight <paramref name="i"/>; throws on 3.</summary>
    public static int Code(ReadOnlySpan<byte> src, int i)
    {
        int blk = i / BlockValues, r = i % BlockValues;
        int at = blk * BlockBytes + r % BlockBytes;
        int code = (src[at] >> (6 - 2 * (r / BlockBytes))) & 3;
        if (code == 3) throw new InvalidDataException($"I2_S byte {at}: invalid trit code 3");
        return code;
    }
}
