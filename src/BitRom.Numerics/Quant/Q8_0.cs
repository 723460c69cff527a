using System.Buffers.Binary;
using BitRom.Numerics.Floats;

namespace BitRom.Numerics.Quant;

/// <summary>ggml Q8_0 rows (<c>quantize_row_q8_0_ref</c>, <c>dequantize_row_q8_0</c> in <c>ggml-quants.c</c>).</summary>
public static class Q8_0
{
    /// <summary>Values per block (ggml <c>QK8_0</c>).</summary>
    public const int BlockValues = 32;

    /// <summary>x = d · q with d from fp16, in float32.</summary>
    public static void DequantizeRow(ReadOnlySpan<byte> src, Span<float> dst)
    {
        Check(dst.Length, src.Length);
        for (int b = 0; b < dst.Length / BlockValues; b++)
        {
            ReadOnlySpan<byte> block = src.Slice(b * BlockSizes.Q8_0, BlockSizes.Q8_0);
            float d = FloatFormats.HalfToFloat(BinaryPrimitives.ReadUInt16LittleEndian(block));
            for (int j = 0; j < BlockValues; j++) dst[b * BlockValues + j] = (sbyte)block[2 + j] * d;
        }
    }

    /// <summary>Reference quantizer: d = max|x| / 127, q = roundf(x / d) (C <c>roundf</c>: half away from zero).</summary>
    public static void QuantizeRowReference(ReadOnlySpan<float> src, Span<byte> dst)
    {
        Check(src.Length, dst.Length);
        for (int b = 0; b < src.Length / BlockValues; b++)
        {
            ReadOnlySpan<float> x = src.Slice(b * BlockValues, BlockValues);
            Span<byte> block = dst.Slice(b * BlockSizes.Q8_0, BlockSizes.Q8_0);
            float amax = 0;
            foreach (float v in x) amax = MathF.Max(amax, MathF.Abs(v));
            float d = amax / 127f;
            float id = d != 0 ? 1f / d : 0f;
            BinaryPrimitives.WriteUInt16LittleEndian(block, FloatFormats.FloatToHalf(d));
            for (int j = 0; j < BlockValues; j++) block[2 + j] = (byte)(sbyte)MathF.Round(x[j] * id, MidpointRounding.AwayFromZero);
        }
    }

    private static void Check(int values, int bytes)
    {
        if (values % BlockValues != 0 || bytes < values / BlockValues * BlockSizes.Q8_0)
            throw new ArgumentException($"Q8_0 row of {values} values needs a multiple of {BlockValues} values and {values / BlockValues * BlockSizes.Q8_0} bytes, got {bytes}");
    }
}
