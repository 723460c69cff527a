namespace BitRom.Numerics.Quant;

/// <summary>Decodes whole blocks of one row: <paramref name="src"/> holds dst.Length / BlockSize blocks.</summary>
public delegate void DequantizeRow(ReadOnlySpan<byte> src, Span<float> dst);

/// <summary>Encodes a row of src.Length values (a multiple of BlockSize) into blocks with ggml's reference quantizer.</summary>
public delegate void QuantizeRow(ReadOnlySpan<float> src, Span<byte> dst);

/// <summary>
/// What the engine knows about one storage type (ggml <c>type_traits</c> in <c>src/ggml.c</c>).
/// </summary>
/// <param name="Type">The type.</param>
/// <param name="Name">ggml's lower-case name (<c>ggml_type_name</c>), e.g. <c>tq2_0</c>.</param>
/// <param name="BlockSize">Values per block (1 for plain element types).</param>
/// <param name="TypeSize">Bytes per block.</param>
/// <param name="IsTernary">Stores trits exactly (TQ1_0, TQ2_0, I2_S).</param>
/// <param name="Dequantize">Row decoder, or null when the engine does not decode this type (I2_S decodes per tensor).</param>
/// <param name="QuantizeReference">ggml's reference row encoder, or null.</param>
public readonly record struct QuantTypeInfo(
    QuantType Type, string Name, int BlockSize, int TypeSize, bool IsTernary,
    DequantizeRow? Dequantize, QuantizeRow? QuantizeReference)
{
    /// <summary>Bits per weight = 8 · TypeSize / BlockSize (TQ2_0 2.0625, TQ1_0 1.6875, I2_S 2 plus the trailing scale).</summary>
    public double BitsPerWeight => 8.0 * TypeSize / BlockSize;
}

/// <summary>
/// The one table of storage types (STYLE.md §2.3.7). Block sizes and byte sizes are those of ggml's
/// <c>type_traits</c> (<c>src/ggml.c</c>) and <c>ggml-common.h</c>; the engine decodes F32, F16, BF16, Q8_0, TQ1_0,
/// TQ2_0 and I2_S, and only checks the sizes of the others so that a file holding them can still be indexed.
/// </summary>
public static class QuantTypeTraits
{
    /// <summary>Bytes after the packed codes of an I2_S tensor: one f32 scale, zero-padded to 32 (bitnet.cpp <c>ggml_nbytes</c>, FORMATS.md §4.2).</summary>
    public const int I2SScaleBytes = 32;

    private static readonly Dictionary<QuantType, QuantTypeInfo> Table = Build();

    /// <summary>The traits of <paramref name="type"/>; throws <see cref="ArgumentException"/> for ids ggml never had or removed.</summary>
    public static QuantTypeInfo Get(QuantType type) =>
        Table.TryGetValue(type, out QuantTypeInfo info) ? info : throw new ArgumentException($"unknown or removed ggml type id {(int)type}");

    /// <summary>True when <paramref name="type"/> has a table entry.</summary>
    public static bool IsKnown(QuantType type) => Table.ContainsKey(type);

    /// <summary>The id written to files (36 for <see cref="QuantType.I2_S"/>, the enum value otherwise).</summary>
    public static uint FileId(QuantType type) => type == QuantType.I2_S ? 36u : (uint)type;

    /// <summary>
    /// Bytes of a tensor of <paramref name="elements"/> values with rows of <paramref name="rowLength"/> (ne0);
    /// −1 when the row is not a whole number of blocks. I2_S adds <see cref="I2SScaleBytes"/> once per tensor.
    /// </summary>
    public static long TensorBytes(QuantType type, long elements, long rowLength)
    {
        QuantTypeInfo t = Get(type);
        if (rowLength <= 0 && elements == 0) return type == QuantType.I2_S ? I2SScaleBytes : 0;
        if (rowLength <= 0 || rowLength % t.BlockSize != 0 || elements % t.BlockSize != 0) return -1;
        if (elements / t.BlockSize > (long.MaxValue - I2SScaleBytes) / t.TypeSize) return -1; // overflows int64 bytes
        long bytes = elements / t.BlockSize * t.TypeSize;
        return type == QuantType.I2_S ? bytes + I2SScaleBytes : bytes;
    }

    private static Dictionary<QuantType, QuantTypeInfo> Build()
    {
        var t = new Dictionary<QuantType, QuantTypeInfo>();
        void Add(QuantType type, string name, int block, int size, bool ternary = false, DequantizeRow? dq = null, QuantizeRow? q = null) =>
            t.Add(type, new QuantTypeInfo(type, name, block, size, ternary, dq, q));

        // Decoded by the engine.
        Add(QuantType.F32, "f32", 1, 4, dq: ScalarCodecs.DecodeF32, q: ScalarCodecs.EncodeF32);
        Add(QuantType.F16, "f16", 1, 2, dq: ScalarCodecs.DecodeF16, q: ScalarCodecs.EncodeF16);
        Add(QuantType.BF16, "bf16", 1, 2, dq: ScalarCodecs.DecodeBF16, q: ScalarCodecs.EncodeBF16);
        Add(QuantType.Q8_0, "q8_0", Q8_0.BlockValues, BlockSizes.Q8_0, dq: Q8_0.DequantizeRow, q: Q8_0.QuantizeRowReference);
        Add(QuantType.TQ1_0, "tq1_0", Tq1_0.BlockValues, BlockSizes.TQ1_0, ternary: true, dq: Tq1_0.DequantizeRow, q: Tq1_0.QuantizeRowReference);
        Add(QuantType.TQ2_0, "tq2_0", Tq2_0.BlockValues, BlockSizes.TQ2_0, ternary: true, dq: Tq2_0.DequantizeRow, q: Tq2_0.QuantizeRowReference);
        Add(QuantType.I2_S, "i2_s", I2S.BlockValues, I2S.BlockBytes, ternary: true);

        // Sized only (ggml type_traits: blck_size, type_size).
        Add(QuantType.Q4_0, "q4_0", 32, 18);
        Add(QuantType.Q4_1, "q4_1", 32, 20);
        Add(QuantType.Q5_0, "q5_0", 32, 22);
        Add(QuantType.Q5_1, "q5_1", 32, 24);
        Add(QuantType.Q8_1, "q8_1", 32, 36);
        Add(QuantType.Q2_K, "q2_K", 256, 84);
        Add(QuantType.Q3_K, "q3_K", 256, 110);
        Add(QuantType.Q4_K, "q4_K", 256, 144);
        Add(QuantType.Q5_K, "q5_K", 256, 176);
        Add(QuantType.Q6_K, "q6_K", 256, 210);
        Add(QuantType.Q8_K, "q8_K", 256, 292);
        Add(QuantType.IQ2_XXS, "iq2_xxs", 256, 66);
        Add(QuantType.IQ2_XS, "iq2_xs", 256, 74);
        Add(QuantType.IQ3_XXS, "iq3_xxs", 256, 98);
        Add(QuantType.IQ1_S, "iq1_s", 256, 50);
        Add(QuantType.IQ4_NL, "iq4_nl", 32, 18);
        Add(QuantType.IQ3_S, "iq3_s", 256, 110);
        Add(QuantType.IQ2_S, "iq2_s", 256, 82);
        Add(QuantType.IQ4_XS, "iq4_xs", 256, 136);
        Add(QuantType.I8, "i8", 1, 1);
        Add(QuantType.I16, "i16", 1, 2);
        Add(QuantType.I32, "i32", 1, 4);
        Add(QuantType.I64, "i64", 1, 8);
        Add(QuantType.F64, "f64", 1, 8);
        Add(QuantType.IQ1_M, "iq1_m", 256, 56);
        Add(QuantType.MXFP4, "mxfp4", 32, 17);
        return t;
    }
}
