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
        // Validate first (every 2-bit field that lands in a row), so the parallel repack below cannot throw.
        // With all four slabs in use (every real model: out % 4 == 0) one mask test per byte finds code 3.
        int usedSlabs = (rows + r - 1) / r;
        if (rows == ValuesPerItem * r && TernaryMatrix.FindInvalidCode(packed) is int bad and >= 0)
            throw new InvalidDataException($"{fileName}: tensor '{name}': invalid trit code 3 at packed byte {bad}");
        for (long i = rows == ValuesPerItem * r ? packed.Length : 0; i < packed.Length; i++)
        {
            int b = packed[(int)i], pr = (int)(i / cols);
            for (int slab = 0; slab < usedSlabs; slab++)
            {
                if (slab * r + pr < rows && ((b >> (2 * slab)) & 3) == 3)
                    throw new InvalidDataException($"{fileName}: tensor '{name}': invalid trit code 3 at packed byte {i} (bits {2 * slab}-{2 * slab + 1})");
            }
        }
        int rowBytes = TernaryPacking.PackedBytes(cols);
        var dst = new byte[(long)rows * rowBytes];
        byte[] src = packed.ToArray();
        // Rows are independent; 2B4T has ~2.1 billion trits, so the repack runs on every core.
        Parallel.For(0, rows, n =>
        {
            int slab = n / r, pr = n % r, shift = 2 * slab;
            ReadOnlySpan<byte> from = src.AsSpan(pr * cols, cols);
            Span<byte> row = dst.AsSpan(n * rowBytes, rowBytes);
            for (int c = 0; c < cols; c++) row[c >> 2] |= (byte)(((from[c] >> shift) & 3) << ((c & 3) * 2));
        });
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
