using System.Buffers.Binary;
using BitRom.Numerics.Floats;

namespace BitRom.Numerics.Quant;

/// <summary>Little-endian F32, F16 and BF16 rows (the element types of GGUF and safetensors).</summary>
public static class ScalarCodecs
{
    /// <summary>Decodes float32 values.</summary>
    public static void DecodeF32(ReadOnlySpan<byte> src, Span<float> dst)
    {
        for (int i = 0; i < dst.Length; i++) dst[i] = BinaryPrimitives.ReadSingleLittleEndian(src.Slice(4 * i));
    }

    /// <summary>Encodes float32 values.</summary>
    public static void EncodeF32(ReadOnlySpan<float> src, Span<byte> dst)
    {
        for (int i = 0; i < src.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(dst.Slice(4 * i), src[i]);
    }

    /// <summary>Decodes fp16 values (exact).</summary>
    public static void DecodeF16(ReadOnlySpan<byte> src, Span<float> dst)
    {
        for (int i = 0; i < dst.Length; i++) dst[i] = FloatFormats.HalfToFloat(BinaryPrimitives.ReadUInt16LittleEndian(src.Slice(2 * i)));
    }

    /// <summary>Encodes fp16 values, round to nearest even.</summary>
    public static void EncodeF16(ReadOnlySpan<float> src, Span<byte> dst)
    {
        for (int i = 0; i < src.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(dst.Slice(2 * i), FloatFormats.FloatToHalf(src[i]));
    }

    /// <summary>Decodes bf16 values (exact).</summary>
    public static void DecodeBF16(ReadOnlySpan<byte> src, Span<float> dst)
    {
        for (int i = 0; i < dst.Length; i++) dst[i] = FloatFormats.BFloat16ToFloat(BinaryPrimitives.ReadUInt16LittleEndian(src.Slice(2 * i)));
    }

    /// <summary>Encodes bf16 values, round to nearest even.</summary>
    public static void EncodeBF16(ReadOnlySpan<float> src, Span<byte> dst)
    {
        for (int i = 0; i < src.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(dst.Slice(2 * i), FloatFormats.FloatToBFloat16(src[i]));
    }
}
