using System.Buffers.Binary;
using BitRom.Numerics.Floats;

namespace BitRom.Numerics.Quant;

/// <summary>
/// ggml TQ2_0 blocks (<see cref="BlockTq2_0"/>; <c>quantize_row_tq2_0_ref</c> / <c>dequantize_row_tq2_0</c> in
/// <c>ggml-quants.c</c>, FORMATS.md §3.2). Codes are trit + 1, the same convention as <see cref="Ternary.TernaryPacking"/>.
/// </summary>
public static class Tq2_0
{
    /// <summary>Weights per block (ggml <c>QK_K</c>).</summary>
    public const int BlockValues = 256;

    /// <summary>Offset of the fp16 d inside a block.</summary>
    public const int DOffset = 64;

    /// <summary>Byte and shift of weight <paramref name="i"/> (0..255): byte (i/128)·32 + i%32, bit pair (i/32)%4.</summary>
    public static (int Byte, int Shift) Position(int i) => ((i >> 7) * 32 + (i & 31), ((i >> 5) & 3) * 2);

    /// <summary>Encodes 256 trits with block scale bits <paramref name="d"/> into a 66-byte block.</summary>
    public static void EncodeBlock(ReadOnlySpan<sbyte> trits, ushort d, Span<byte> block)
    {
        block[..DOffset].Clear();
        for (int i = 0; i < BlockValues; i++)
        {
            int t = trits[i];
            if (t < -1 || t > 1) throw new ArgumentException($"value {t} at index {i} is not a trit");
            var (b, s) = Position(i);
            block[b] |= (byte)((t + 1) << s);
        }
        BinaryPrimitives.WriteUInt16LittleEndian(block[DOffset..], d);
    }

    /// <summary>Decodes a block's 256 trits and returns its d bits; throws on the invalid code 3.</summary>
    public static ushort DecodeBlock(ReadOnlySpan<byte> block, Span<sbyte> trits)
    {
        for (int i = 0; i < BlockValues; i++)
        {
            var (b, s) = Position(i);
            int code = (block[b] >> s) & 3;
            if (code == 3) throw new InvalidDataException($"TQ2_0 block byte {b}: invalid trit code 3");
            trits[i] = (sbyte)(code - 1);
        }
        return BinaryPrimitives.ReadUInt16LittleEndian(block[DOffset..]);
    }

    /// <summary>ggml dequantization: y = (code − 1) · d (code 3 gives 2d, as ggml does).</summary>
    public static void DequantizeRow(ReadOnlySpan<byte> src, Span<float> dst)
    {
        CheckRow(dst.Length, src.Length);
        for (int blk = 0; blk < dst.Length / BlockValues; blk++)
        {
            ReadOnlySpan<byte> block = src.Slice(blk * BlockSizes.TQ2_0, BlockSizes.TQ2_0);
            float d = FloatFormats.HalfToFloat(BinaryPrimitives.ReadUInt16LittleEndian(block[DOffset..]));
            for (int i = 0; i < BlockValues; i++)
            {
                var (b, s) = Position(i);
                dst[blk * BlockValues + i] = (((block[b] >> s) & 3) - 1) * d;
            }
        }
    }

    /// <summary>ggml's reference quantizer: d = max|x| per block (fp16), code = lroundf(x / d) + 1.</summary>
    public static void QuantizeRowReference(ReadOnlySpan<float> src, Span<byte> dst)
    {
        CheckRow(src.Length, dst.Length);
        Span<sbyte> trits = stackalloc sbyte[BlockValues];
        for (int blk = 0; blk < src.Length / BlockValues; blk++)
        {
            float d = AbsMaxTrits(src.Slice(blk * BlockValues, BlockValues), trits);
            EncodeBlock(trits, FloatFormats.FloatToHalf(d), dst.Slice(blk * BlockSizes.TQ2_0, BlockSizes.TQ2_0));
        }
    }

    /// <summary>Shared TQ reference step: d = max|x|, trit = lroundf(x · (1/d)) (0 when d = 0). Returns d.</summary>
    internal static float AbsMaxTrits(ReadOnlySpan<float> x, Span<sbyte> trits)
    {
        float amax = 0;
        foreach (float v in x) amax = MathF.Max(amax, MathF.Abs(v));
        float id = amax != 0 ? 1f / amax : 0f;
        for (int i = 0; i < x.Length; i++)
            trits[i] = (sbyte)Math.Clamp(MathF.Round(x[i] * id, MidpointRounding.AwayFromZero), -1f, 1f);
        return amax;
    }

    internal static void CheckRow(int values, int bytes, int blockBytes = BlockSizes.TQ2_0, string name = "TQ2_0")
    {
        if (values % BlockValues != 0 || bytes < values / BlockValues * blockBytes)
            throw new ArgumentException($"{name} row of {values} values needs a multiple of {BlockValues} values and {values / BlockValues * blockBytes} bytes, got {bytes}");
    }
}
