namespace BitRom.Numerics.Floats;

/// <summary>IEEE binary16 and bfloat16 conversions (bit patterns held in ushort).</summary>
public static class FloatFormats
{
    /// <summary>fp16 bits to float (exact).</summary>
    public static float HalfToFloat(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    /// <summary>float to fp16 bits, round to nearest even (IEEE; overflow to ±Inf).</summary>
    public static ushort FloatToHalf(float value) => BitConverter.HalfToUInt16Bits((Half)value);

    /// <summary>bf16 bits to float (exact: bf16 is the top half of a float).</summary>
    public static float BFloat16ToFloat(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary>float to bf16 bits, round to nearest even; NaN stays a quiet NaN (as torch does).</summary>
    public static ushort FloatToBFloat16(float value)
    {
        uint u = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((u >> 16) | 0x40);
        uint rounding = 0x7FFF + ((u >> 16) & 1);
        return (ushort)((u + rounding) >> 16);
    }
}
