using BitRom.Numerics.Ternary;

namespace BitRom.Model.Formats.Hf;

/// <summary>
/// The HF BitNet packing (transformers <c>integrations/bitnet.py</c> <c>pack_weights</c>/<c>unpack_weights</c>,
/// FORMATS.md §1.1): uint8 [R = ceil(out/4), in]; byte P[r, c] holds rows r, R+r, 2R+r, 3R+r of column c in bit pairs
/// 0-1, 2-3, 4-5, 6-7, code = trit + 1. Converted to and from the engine's row-major <see cref="TernaryMatrix"/>.
/// </summary>
public static class HfPackedWeights
{
    /// <summary>Trits per packed byte (<c>VALUES_PER_ITEM</c>).</summary>
    public const int ValuesPerItem = 4;

    /// <summary>Rows of the packed tensor for <paramref name="rows"/> output features.</summary>
    public static int PackedRows(int rows) => (rows + ValuesPerItem - 1) / ValuesPerItem;

    /// <summary>
    /// Unpacks slab-packed bytes to a (rows, cols) matrix with scale <paramref name="wEff"/>. Slab rows past
    /// <paramref name="rows"/> (when rows is not a multiple of 4) are ignored, as <c>unpack_weights</c> slices them off.
    /// </summary>
    public static TernaryMatrix Unpack(string name, int rows, int cols, ReadOnlySpan<byte> packed, float wEff, string fileName)
    {
        int r = PackedRows(rows);
        if (packed.Length != (long)r * cols)
            throw new InvalidDataException($"{fileName}: tensor '{name}' holds {packed.Length} bytes, [{r}, {cols}] packed needs {(long)r * cols}");
        int rowBytes = TernaryPacking.PackedBytes(cols);
        var dst = new byte[(long)rows * rowBytes];
        for (int n = 0; n < rows; n++)
        {
            int slab = n / r, pr = n % r, shift = 2 * slab;
            ReadOnlySpan<byte> src = packed.Slice(pr * cols, cols);
            Span<byte> row = dst.AsSpan(n * rowBytes, rowBytes);
            for (int c = 0; c < cols; c++)
            {
                int code = (src[c] >> shift) & 3;
                if (code == 3)
                    throw new InvalidDataException($"{fileName}: tensor '{name}': invalid trit code 3 at packed byte {(long)pr * cols + c} (bits {shift}-{shift + 1})");
                row[c >> 2] |= (byte)(code << ((c & 3) * 2));
            }
        }
        return new TernaryMatrix(name, rows, cols, dst, wEff);
    }

    /// <summary>Packs a matrix into the slab layout (the inverse of <see cref="Unpack"/>; missing slab rows get code 1 = 0).</summary>
    public static byte[] Pack(TernaryMatrix m)
    {
        int r = PackedRows(m.Rows), cols = m.Cols;
        var p = new byte[(long)r * cols];
        for (int slab = 0; slab < ValuesPerItem; slab++)
        {
            for (int pr = 0; pr < r; pr++)
            {
                int n = slab * r + pr;
                Span<byte> dst = p.AsSpan(pr * cols, cols);
                for (int c = 0; c < cols; c++)
                {
                    int code = n < m.Rows ? m[n, c] + 1 : 1;
                    dst[c] |= (byte)(code << (2 * slab));
                }
            }
        }
        return p;
    }
}
