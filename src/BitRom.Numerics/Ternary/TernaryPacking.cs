namespace BitRom.Numerics.Ternary;

/// <summary>
/// 2-bit trit codes, four per byte, LSB first: code = trit + 1 (−1 → 0, 0 → 1, +1 → 2; 3 is invalid).
/// The code convention is the one of HF BitNet packing and ggml TQ2_0 (FORMATS.md §1.1, §3.2), so
/// converting between them never remaps values, only positions.
/// </summary>
public static class TernaryPacking
{
    /// <summary>Bytes needed for <paramref name="trits"/> trits at 2 bits each.</summary>
    public static int PackedBytes(int trits) => (trits + 3) >> 2;

    /// <summary>Packs trits (each −1, 0 or +1) into 2-bit codes; unused high bits of the last byte stay 0.</summary>
    public static void Pack(ReadOnlySpan<sbyte> trits, Span<byte> packed)
    {
        if (packed.Length < PackedBytes(trits.Length))
            throw new ArgumentException($"packed span holds {packed.Length} bytes, {PackedBytes(trits.Length)} needed");
        packed[..PackedBytes(trits.Length)].Clear();
        for (int k = 0; k < trits.Length; k++)
        {
            int t = trits[k];
            if (t < -1 || t > 1) throw new ArgumentException($"value {t} at index {k} is not a trit");
            packed[k >> 2] |= (byte)((t + 1) << ((k & 3) * 2));
        }
    }

    /// <summary>Unpacks <paramref name="trits"/>.Length trits; throws on the invalid code 3.</summary>
    public static void Unpack(ReadOnlySpan<byte> packed, Span<sbyte> trits)
    {
        for (int k = 0; k < trits.Length; k++) trits[k] = Get(packed, k);
    }

    /// <summary>The trit at index <paramref name="k"/>.</summary>
    public static sbyte Get(ReadOnlySpan<byte> packed, int k)
    {
        int code = (packed[k >> 2] >> ((k & 3) * 2)) & 3;
        if (code == 3) throw new InvalidDataException($"invalid trit code 3 at trit index {k}");
        return (sbyte)(code - 1);
    }

    /// <summary>Sets the trit at index <paramref name="k"/>.</summary>
    public static void Set(Span<byte> packed, int k, int trit)
    {
        if (trit < -1 || trit > 1) throw new ArgumentOutOfRangeException(nameof(trit), trit, "not a trit");
        int shift = (k & 3) * 2;
        packed[k >> 2] = (byte)((packed[k >> 2] & ~(3 << shift)) | ((trit + 1) << shift));
    }
}
