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
        var trits = new sbyte[cols];
        if (type == QuantType.I2_S)
        {
            I2S.Encode(m.ToTrits(), blockScale, dst);
            return dst;
        }
        if (type is QuantType.TQ1_0 or QuantType.TQ2_0)
        {
            bool tq1 = type == QuantType.TQ1_0;
            int blockBytes = tq1 ? BlockSizes.TQ1_0 : BlockSizes.TQ2_0, blocks = cols / Tq2_0.BlockValues;
            ushort d = FloatFormats.FloatToHalf(blockScale);
            for (int r = 0; r < rows; r++)
            {
                TernaryPacking.Unpack(m.Row(r), trits);
                for (int b = 0; b < blocks; b++)
                {
                    ReadOnlySpan<sbyte> bt = trits.AsSpan(b * Tq2_0.BlockValues, Tq2_0.BlockValues);
                    Span<byte> block = dst.AsSpan((r * blocks + b) * blockBytes, blockBytes);
                    if (tq1) Tq1_0.EncodeBlock(bt, d, block);
                    else Tq2_0.EncodeBlock(bt, d, block);
                }
            }
            return dst;
        }
        if (type is not (QuantType.F32 or QuantType.F16 or QuantType.BF16))
            throw new ArgumentException($"{m.Name}: cannot store ternary weights as {QuantTypeTraits.Get(type).Name}");
        QuantizeRow encode = QuantTypeTraits.Get(type).QuantizeReference!;
        var values = new float[cols];
        int rowBytes = (int)(bytes / rows);
        for (int r = 0; r < rows; r++)
        {
            TernaryPacking.Unpack(m.Row(r), trits);
            for (int c = 0; c < cols; c++) values[c] = trits[c] * blockScale;
            encode(values, dst.AsSpan(r * rowBytes, rowBytes));
        }
        return dst;
    }

    /// <summary>
    /// Decodes a TQ1_0, TQ2_0 or I2_S tensor of [rows x cols] into packed 2-bit rows and its one scale.
    /// TQ: every block holding a non-zero trit must carry the same d (a ternary matrix has one scale; an all-zero
    /// block's d is ignored); all-zero tensors get scale 0. Throws <see cref="InvalidDataException"/> naming the
    /// tensor, the block and the two values otherwise.
    /// </summary>
    public static (byte[] Packed, float Scale) Decode(string name, int rows, int cols, QuantType type, ReadOnlySpan<byte> src)
    {
        long need = QuantTypeTraits.TensorBytes(type, (long)rows * cols, cols);
        if (need < 0 || src.Length != need)
            throw new InvalidDataException($"tensor '{name}' [{rows} x {cols}] {QuantTypeTraits.Get(type).Name} needs {need} bytes, got {src.Length}");
        int rowBytes = TernaryPacking.PackedBytes(cols);
        var packed = new byte[(long)rows * rowBytes];
        if (type == QuantType.I2_S)
        {
            int n = rows * cols;
            for (int i = 0; i < n; i++)
            {
                int r = i / cols, c = i % cols;
                packed[r * rowBytes + (c >> 2)] |= (byte)(I2S.Code(src, i) << ((c & 3) * 2));
            }
            return (packed, BinaryPrimitives.ReadSingleLittleEndian(src[(n / 4)..]));
        }
        if (type is not (QuantType.TQ1_0 or QuantType.TQ2_0))
            throw new ArgumentException($"tensor '{name}': {QuantTypeTraits.Get(type).Name} is not a ternary type");
        bool tq1 = type == QuantType.TQ1_0;
        int blockBytes = tq1 ? BlockSizes.TQ1_0 : BlockSizes.TQ2_0, blocks = cols / Tq2_0.BlockValues;
        Span<sbyte> trits = stackalloc sbyte[Tq2_0.BlockValues];
        int dOwner = -1;
        ushort dShared = 0;
        for (int r = 0; r < rows; r++)
            for (int b = 0; b < blocks; b++)
            {
                int index = r * blocks + b;
                ReadOnlySpan<byte> block = src.Slice(index * blockBytes, blockBytes);
                ushort d;
                try { d = tq1 ? Tq1_0.DecodeBlock(block, trits) : Tq2_0.DecodeBlock(block, trits); }
                catch (InvalidDataException e) { throw new InvalidDataException($"tensor '{name}' block {index} (row {r}): {e.Message}"); }
                bool any = false;
                for (int i = 0; i < Tq2_0.BlockValues; i++)
                {
                    int c = b * Tq2_0.BlockValues + i;
                    packed[r * rowBytes + (c >> 2)] |= (byte)((trits[i] + 1) << ((c & 3) * 2));
                    any |= trits[i] != 0;
                }
                if (!any) continue;
                if (dOwner < 0) { dOwner = index; dShared = d; }
                else if (d != dShared)
                    throw new InvalidDataException(
                        $"tensor '{name}': block {index} (row {r}) has d = {FloatFormats.HalfToFloat(d)}, block {dOwner} has d = {FloatFormats.HalfToFloat(dShared)}; a ternary matrix has one scale");
            }
        return (packed, dOwner < 0 ? 0f : FloatFormats.HalfToFloat(dShared));
    }
}
