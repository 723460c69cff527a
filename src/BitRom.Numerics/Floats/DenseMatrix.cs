using System.Buffers.Binary;

namespace BitRom.Numerics.Floats;

/// <summary>
/// A non-ternary matrix [Rows x Cols] (embedding table, untied lm_head) in its storage type, row-major.
/// The bytes may be memory-mapped; rows are decoded to float on use.
/// </summary>
public sealed class DenseMatrix
{
    /// <summary>Wraps existing row-major bytes; checks the length against the shape and type.</summary>
    public DenseMatrix(string name, int rows, int cols, DenseElementType type, ReadOnlyMemory<byte> data)
    {
        if (rows <= 0 || cols <= 0) throw new ArgumentException($"matrix '{name}' has shape [{rows}, {cols}]");
        if (type == DenseElementType.Q8_0 && cols % Q8Block != 0)
            throw new ArgumentException($"matrix '{name}': Q8_0 rows must be a multiple of {Q8Block}, got {cols}");
        long need = (long)rows * RowBytesOf(type, cols);
        if (data.Length != need) throw new ArgumentException($"matrix '{name}' [{rows}, {cols}] {type} needs {need} bytes, got {data.Length}");
        Name = name;
        Rows = rows;
        Cols = cols;
        Type = type;
        Data = data;
    }

    /// <summary>Values per Q8_0 block (ggml <c>QK8_0</c>).</summary>
    public const int Q8Block = 32;

    /// <summary>Tensor name.</summary>
    public string Name { get; }

    /// <summary>Rows (vocabulary entries for embeddings and heads).</summary>
    public int Rows { get; }

    /// <summary>Columns (model width).</summary>
    public int Cols { get; }

    /// <summary>Storage type.</summary>
    public DenseElementType Type { get; }

    /// <summary>Raw row-major bytes.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Bytes per row.</summary>
    public int RowBytes => RowBytesOf(Type, Cols);

    /// <summary>Bytes per row of <paramref name="cols"/> values in <paramref name="type"/>.</summary>
    public static int RowBytesOf(DenseElementType type, int cols) => type switch
    {
        DenseElementType.F32 => cols * 4,
        DenseElementType.F16 or DenseElementType.BF16 => cols * 2,
        DenseElementType.Q8_0 => cols / Q8Block * (2 + Q8Block),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Decodes row <paramref name="n"/> to float (exact for every type: Q8_0 is d·q in float32 as ggml does).</summary>
    public void DecodeRow(int n, Span<float> dst)
    {
        if ((uint)n >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(n), n, $"{Name} has {Rows} rows");
        ReadOnlySpan<byte> row = RowSpan(n);
        switch (Type)
        {
            case DenseElementType.F32:
                for (int i = 0; i < Cols; i++) dst[i] = BinaryPrimitives.ReadSingleLittleEndian(row.Slice(i * 4));
                break;
            case DenseElementType.F16:
                for (int i = 0; i < Cols; i++) dst[i] = FloatFormats.HalfToFloat(BinaryPrimitives.ReadUInt16LittleEndian(row.Slice(i * 2)));
                break;
            case DenseElementType.BF16:
                for (int i = 0; i < Cols; i++) dst[i] = FloatFormats.BFloat16ToFloat(BinaryPrimitives.ReadUInt16LittleEndian(row.Slice(i * 2)));
                break;
            case DenseElementType.Q8_0:
                for (int b = 0; b < Cols / Q8Block; b++)
                {
                    ReadOnlySpan<byte> block = row.Slice(b * (2 + Q8Block), 2 + Q8Block);
                    float d = FloatFormats.HalfToFloat(BinaryPrimitives.ReadUInt16LittleEndian(block));
                    for (int j = 0; j < Q8Block; j++) dst[b * Q8Block + j] = (sbyte)block[2 + j] * d;
                }
                break;
        }
    }

    /// <summary>The raw bytes of row <paramref name="n"/>.</summary>
    /// <remarks>The whole table fits one ReadOnlyMemory (&lt; 2 GiB): the largest real one, Falcon3's bf16 lm_head
    /// [131072 x 3072], is 805 MB (FORMATS.md §2.2).</remarks>
    public ReadOnlySpan<byte> RowSpan(int n) => Data.Span.Slice(n * RowBytes, RowBytes);

    /// <summary>Creates an F32 matrix from values (tests, trainer).</summary>
    public static DenseMatrix FromFloats(string name, int rows, int cols, ReadOnlySpan<float> values)
    {
        if (values.Length != (long)rows * cols) throw new ArgumentException($"matrix '{name}': {values.Length} values for [{rows}, {cols}]");
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return new DenseMatrix(name, rows, cols, DenseElementType.F32, bytes);
    }
}
