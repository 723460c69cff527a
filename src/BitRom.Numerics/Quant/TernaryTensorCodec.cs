using System.Buffers.Binary;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Ternary;

namespace BitRom.Numerics.Quant;

/// <summary>
/// Converts a <see cref="TernaryMatrix"/> (2-bit codes, row-major, FORMATS.md §1.1 convention) to and from the
/// tensor bytes of a GGUF storage type. For TQ1_0, TQ2_0 and I2_S the trits are carried exactly in every direction;
/// only the scale can lose precision (TQ's fp16 d).
/// </summary>
public static class TernaryTensorCodec
{
    /// <summary>
    /// Tensor bytes of <paramref name="m"/> in <paramref name="type"/>, rows of m.Cols values (GGUF ne = [Cols, Rows]).
    /// TQ1_0/TQ2_0: every block carries d = fp16(<paramref name="blockScale"/>). I2_S: the trailing scale is
    /// <paramref name="blockScale"/> (f32). F32/F16/BF16: values trit · blockScale rounded to the type.
    /// </summary>
    public static byte[] Encode(TernaryMatrix m, QuantType type, float blockScale)
    {
        int rows = m.Rows, cols = m.Cols;
        long bytes = QuantTypeTraits.TensorBytes(type, (long)rows * cols, cols);
        if (bytes < 0) throw new ArgumentException($"{m.Name}: rows of {cols} values are not whole {QuantTypeTraits.Get(type).Name} blocks");
        if (bytes > Array.MaxLength) throw new ArgumentException($"{m.Name}: {bytes} bytes exceed one array");
        var dst = new byte[bytes];
        if (type == QuantType.I2_S)
        {
            I2S.Encode(m.ToTrits(), blockScale, dst);
            return dst;
        }
        bool tq = type is QuantType.TQ1_0 or QuantType.TQ2_0;
        if (!tq && type is not (QuantType.F32 or QuantType.F16 or QuantType.BF16))
            throw new ArgumentException($"{m.Name}: cannot store ternary weights as {QuantTypeTraits.Get(type).Name}");
        int rowBytes = (int)(bytes / rows), blocks = cols / Tq2_0.BlockValues, blockBytes = QuantTypeTraits.Get(type).TypeSize;
        ushort d = FloatFormats.FloatToHalf(blockScale);
        QuantizeRow? encode = QuantTypeTraits.Get(type).QuantizeReference;
        // Rows are independent: each writes only its own bytes of dst.
        Parallel.For(0, rows, () => (Trits: new sbyte[cols], Values: new float[cols]), (r, _, buf) =>
        {
            TernaryPacking.Unpack(m.Row(r), buf.Trits);
            Span<byte> row = dst.AsSpan(r * rowBytes, rowBytes);
            if (tq)
            {
                for (int b = 0; b < blocks; b++)
                {
                    ReadOnlySpan<sbyte> bt = buf.Trits.AsSpan(b * Tq2_0.BlockValues, Tq2_0.BlockValues);
                    Span<byte> block = row.Slice(b * blockBytes, blockBytes);
                    if (type == QuantType.TQ1_0) Tq1_0.EncodeBlock(bt, d, block);
                    else Tq2_0.EncodeBlock(bt, d, block);
                }
            }
            else
            {
                for (int c = 0; c < cols; c++) buf.Values[c] = buf.Trits[c] * blockScale;
                encode!(buf.Values, row);
            }
            return buf;
        }, _ => { });
        return dst;
    }

    /// <summary>
    /// Decodes a TQ1_0, TQ2_0 or I2_S tensor of [rows x cols] into packed 2-bit rows and its one scale.
    /// TQ: every block holding a non-zero trit must carry the same d (a ternary matrix has one scale; an all-zero
    /// block's d is ignored); all-zero tensors get scale 0. Throws <see cref="InvalidDataException"/> naming the
    /// tensor, the block and the two values otherwise.
    /// </summary>
    public static unsafe (byte[] Packed, float Scale) Decode(string name, int rows, int cols, QuantType type, ReadOnlySpan<byte> src)
    {
        long need = QuantTypeTraits.TensorBytes(type, (long)rows * cols, cols);
        if (need < 0 || src.Length != need)
            throw new InvalidDataException($"tensor '{name}' [{rows} x {cols}] {QuantTypeTraits.Get(type).Name} needs {need} bytes, got {src.Length}");
        if (type is not (QuantType.TQ1_0 or QuantType.TQ2_0 or QuantType.I2_S))
            throw new ArgumentException($"tensor '{name}': {QuantTypeTraits.Get(type).Name} is not a ternary type");
        int rowBytes = TernaryPacking.PackedBytes(cols);
        var packed = new byte[(long)rows * rowBytes];
        QuantTypeInfo info = QuantTypeTraits.Get(type);
        int blockValues = info.BlockSize, blockBytes = info.TypeSize, blocksPerRow = cols / blockValues;
        // Rows decode in parallel (each writes only its own packed row and block flags); the checks that name a block
        // then run in block order, so the error for a given file is always the same.
        var nonZero = new bool[rows * blocksPerRow];
        int firstInvalid = int.MaxValue;
        fixed (byte* srcPointer = src)
        {
            nint basePointer = (nint)srcPointer;
            int srcLength = src.Length;
            Parallel.For(0, rows, r =>
            {
                var all = new ReadOnlySpan<byte>((void*)basePointer, srcLength);
                Span<byte> codes = stackalloc byte[Tq2_0.BlockValues];
                for (int b = 0; b < blocksPerRow; b++)
                {
                    int index = r * blocksPerRow + b;
                    ReadOnlySpan<byte> block = all.Slice(index * blockBytes, blockBytes);
                    Span<byte> c = codes[..blockValues];
                    if (type == QuantType.TQ2_0) Tq2Codes(block, c);
                    else if (type == QuantType.TQ1_0) Tq1Codes(block, c);
                    else I2SCodes(block, c);
                    // Pack four codes per byte (blocks start at multiples of 4 columns); flag code 3 and any non-zero trit.
                    Span<byte> dst = packed.AsSpan(r * rowBytes + b * blockValues / 4, blockValues / 4);
                    int invalid = 0, nz = 0;
                    for (int q = 0; q < dst.Length; q++)
                    {
                        int v = codes[4 * q] | codes[4 * q + 1] << 2 | codes[4 * q + 2] << 4 | codes[4 * q + 3] << 6;
                        dst[q] = (byte)v;
                        invalid |= v & (v >> 1) & 0x55;
                        nz |= v ^ 0x55;
                    }
                    nonZero[index] = nz != 0;
                    for (int cur; invalid != 0 && index < (cur = Volatile.Read(ref firstInvalid));)
                        if (Interlocked.CompareExchange(ref firstInvalid, index, cur) == cur) break;
                }
            });
        }
        if (firstInvalid != int.MaxValue)
            throw new InvalidDataException($"tensor '{name}' block {firstInvalid} (row {firstInvalid / blocksPerRow}): invalid trit code 3");
        int dOwner = -1;
        ushort dShared = 0;
        if (type != QuantType.I2_S)
            for (int index = 0; index < nonZero.Length; index++)
            {
                if (!nonZero[index]) continue;
                ushort d = BinaryPrimitives.ReadUInt16LittleEndian(src.Slice((index + 1) * blockBytes - 2)); // TQ blocks end with fp16 d
                if (dOwner < 0) { dOwner = index; dShared = d; }
                else if (d != dShared)
                    throw new InvalidDataException(
                        $"tensor '{name}': block {index} (row {index / blocksPerRow}) has d = {FloatFormats.HalfToFloat(d)}, block {dOwner} has d = {FloatFormats.HalfToFloat(dShared)}; a ternary matrix has one scale");
            }
        if (type == QuantType.I2_S) return (packed, BinaryPrimitives.ReadSingleLittleEndian(src[(int)((long)rows * cols / 4)..]));
        return (packed, dOwner < 0 ? 0f : FloatFormats.HalfToFloat(dShared));
    }

    /// <summary>TQ2_0 block → 256 codes in weight order (FORMATS.md §3.2).</summary>
    private static void Tq2Codes(ReadOnlySpan<byte> block, Span<byte> codes)
    {
        for (int h = 0; h < 2; h++)
            for (int l = 0; l < 4; l++)
                for (int m = 0; m < 32; m++) codes[h * 128 + l * 32 + m] = (byte)((block[h * 32 + m] >> (2 * l)) & 3);
    }

    /// <summary>TQ1_0 block → 256 codes in weight order (FORMATS.md §3.3).</summary>
    private static void Tq1Codes(ReadOnlySpan<byte> block, Span<byte> codes)
    {
        for (int n = 0; n < 5; n++)
        {
            for (int m = 0; m < 32; m++) codes[n * 32 + m] = (byte)Tq1_0.Digit(block[m], n);
            for (int m = 0; m < 16; m++) codes[160 + n * 16 + m] = (byte)Tq1_0.Digit(block[32 + m], n);
        }
        for (int n = 0; n < 4; n++)
            for (int j = 0; j < 4; j++) codes[240 + n * 4 + j] = (byte)Tq1_0.Digit(block[Tq1_0.QhOffset + j], n);
    }

    /// <summary>I2_S block → 128 codes in weight order (FORMATS.md §4.2: MSB-first groups of 32).</summary>
    private static void I2SCodes(ReadOnlySpan<byte> block, Span<byte> codes)
    {
        for (int g = 0; g < 4; g++)
            for (int j = 0; j < 32; j++) codes[g * 32 + j] = (byte)((block[j] >> (6 - 2 * g)) & 3);
    }
}
