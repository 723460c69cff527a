using System.Buffers.Binary;
using BitRom.Numerics.Floats;

namespace BitRom.Numerics.Quant;

/// <summary>
/// ggml TQ1_0 blocks (<see cref="BlockTq1_0"/>; <c>quantize_row_tq1_0_ref</c> / <c>dequantize_row_tq1_0</c>,
/// FORMATS.md §3.3). Five trits t0..t4 (t0 most significant) form v = Σ t_n·3^(4−n) in 0..242, stored as
/// b = ⌈v·256/243⌉; trit n comes back as ((b·3^n mod 256)·3) &gt;&gt; 8. The ceiling makes b·3^n land inside the
/// right third of 0..255 for every n, so the decode is exact for all 243 values (a test checks each one).
/// </summary>
public static class Tq1_0
{
    /// <summary>Weights per block (ggml <c>QK_K</c>).</summary>
    public const int BlockValues = 256;

    /// <summary>Offset of the four-trit bytes.</summary>
    public const int QhOffset = 48;

    /// <summary>Offset of the fp16 d.</summary>
    public const int DOffset = 52;

    private static ReadOnlySpan<byte> Pow3 => [1, 3, 9, 27, 81, 243];

    /// <summary>Byte and trit digit of weight <paramref name="i"/> (0..255).</summary>
    public static (int Byte, int Digit) Position(int i)
    {
        if (i < 160) return (i & 31, i >> 5);                       // qs[0..31]: weight n·32 + m
        if (i < 240) return (32 + (i - 160) % 16, (i - 160) / 16);  // qs[32..47]: weight 160 + n·16 + m
        return (QhOffset + (i - 240) % 4, (i - 240) / 4);           // qh[0..3]: weight 240 + n·4 + j
    }

    /// <summary>Trit digit <paramref name="n"/> (0 = most significant) of a stored byte, as a code 0..2.</summary>
    public static int Digit(byte b, int n) => ((byte)(b * Pow3[n]) * 3) >> 8;

    /// <summary>Encodes 256 trits with block scale bits <paramref name="d"/> into a 54-byte block.</summary>
    public static void EncodeBlock(ReadOnlySpan<sbyte> trits, ushort d, Span<byte> block)
    {
        Span<int> v = stackalloc int[DOffset];
        v.Clear();
        for (int i = 0; i < BlockValues; i++)
        {
            int t = trits[i];
            if (t < -1 || t > 1) throw new ArgumentException($"value {t} at index {i} is not a trit");
            var (b, n) = Position(i);
            v[b] += (t + 1) * Pow3[4 - n];  // digit n weighs 3^(4-n); qh bytes leave digit 4 at 0 (ggml's "q *= 3")
        }
        for (int b = 0; b < DOffset; b++) block[b] = (byte)((v[b] * 256 + 242) / 243);
        BinaryPrimitives.WriteUInt16LittleEndian(block[DOffset..], d);
    }

    /// <summary>Decodes a block's 256 trits and returns its d bits (every byte decodes to valid trits).</summary>
    public static ushort DecodeBlock(ReadOnlySpan<byte> block, Span<sbyte> trits)
    {
        for (int i = 0; i < BlockValues; i++)
        {
            var (b, n) = Position(i);
            trits[i] = (sbyte)(Digit(block[b], n) - 1);
        }
        return BinaryPrimitives.ReadUInt16LittleEndian(block[DOffset..]);
    }

    /// <summary>ggml dequantization: y = (trit) · d.</summary>
    public static void DequantizeRow(ReadOnlySpan<byte> src, Span<float> dst)
    {
        Tq2_0.CheckRow(dst.Length, src.Length, BlockSizes.TQ1_0, "TQ1_0");
        Span<sbyte> trits = stackalloc sbyte[BlockValues];
        for (int blk = 0; blk < dst.Length / BlockValues; blk++)
        {
            float d = FloatFormats.HalfToFloat(DecodeBlock(src.Slice(blk * BlockSizes.TQ1_0, BlockSizes.TQ1_0), trits));
            for (int i = 0; i < BlockValues; i++) dst[blk * BlockValues + i] = trits[i] * d;
        }
    }

    /// <summary>ggml's reference quantizer: d = max|x| per block (fp16), trit = lroundf(x / d).</summary>
    public static void QuantizeRowReference(ReadOnlySpan<float> src, Span<byte> dst)
    {
        Tq2_0.CheckRow(src.Length, dst.Length, BlockSizes.TQ1_0, "TQ1_0");
        Span<sbyte> trits = stackalloc sbyte[BlockValues];
        for (int blk = 0; blk < src.Length / BlockValues; blk++)
        {
            float d = Tq2_0.AbsMaxTrits(src.Slice(blk * BlockValues, BlockValues), trits);
            EncodeBlock(trits, FloatFormats.FloatToHalf(d), dst.Slice(blk * BlockSizes.TQ1_0, BlockSizes.TQ1_0));
        }
    }
}
