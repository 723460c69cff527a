namespace BitRom.Numerics.Ternary;

/// <summary>
/// One BitLinear weight: a ternary matrix W [Rows = N_out x Cols = K_in] stored as 2-bit codes, row-major,
/// each row padded to whole bytes (<see cref="RowBytes"/>), plus its effective per-tensor scale.
/// </summary>
/// <remarks>
/// <see cref="Scale"/> is wEff of DESIGN.md §4: already resolved from the checkpoint's convention
/// (weight_scale for <c>autobitlinear</c>, 1 / weight_scale for <c>bitlinear</c>, the per-tensor scale of a GGUF).
/// The packed bytes may live in a memory-mapped file; the matrix never copies them.
/// Contract: immutable. Backends may cache derived layouts keyed by the instance.
/// </remarks>
public sealed class TernaryMatrix
{
    /// <summary>Creates a matrix over existing packed rows.</summary>
    public TernaryMatrix(string name, int rows, int cols, ReadOnlyMemory<byte> packed, float scale)
    {
        if (rows <= 0 || cols <= 0) throw new ArgumentException($"matrix '{name}' has shape [{rows}, {cols}]");
        long need = (long)rows * TernaryPacking.PackedBytes(cols);
        if (packed.Length != need)
            throw new ArgumentException($"matrix '{name}' [{rows}, {cols}] needs {need} packed bytes, got {packed.Length}");
        if (!float.IsFinite(scale)) throw new ArgumentException($"matrix '{name}' has non-finite scale {scale}");
        int bad = FindInvalidCode(packed.Span);
        if (bad >= 0) throw new InvalidDataException($"matrix '{name}': invalid trit code 3 in packed byte {bad}");
        Name = name;
        Rows = rows;
        Cols = cols;
        Packed = packed;
        Scale = scale;
    }

    /// <summary>Tensor name, e.g. <c>blk.3.attn_q</c>; used by reports and the ROM compiler.</summary>
    public string Name { get; }

    /// <summary>N: output features.</summary>
    public int Rows { get; }

    /// <summary>K: input features.</summary>
    public int Cols { get; }

    /// <summary>Bytes per packed row: ceil(K / 4).</summary>
    public int RowBytes => TernaryPacking.PackedBytes(Cols);

    /// <summary>Packed codes, (Rows, RowBytes).</summary>
    public ReadOnlyMemory<byte> Packed { get; }

    /// <summary>wEff: y = acc * (wEff / s) (DESIGN.md §4).</summary>
    public float Scale { get; }

    /// <summary>The packed bytes of row <paramref name="n"/>.</summary>
    public ReadOnlySpan<byte> Row(int n) => Packed.Span.Slice(n * RowBytes, RowBytes);

    /// <summary>The trit at (n, k).</summary>
    public sbyte this[int n, int k] => TernaryPacking.Get(Row(n), k);

    /// <summary>Index of the first byte holding the invalid code 3, or −1. Padding bits after the last trit of a row must be 0.</summary>
    public static int FindInvalidCode(ReadOnlySpan<byte> packed)
    {
        // A 2-bit field equals 3 exactly when both its bits are set: b & (b >> 1) on the even bit positions.
        for (int i = 0; i < packed.Length; i++)
            if ((packed[i] & (packed[i] >> 1) & 0x55) != 0) return i;
        return -1;
    }

    /// <summary>Builds a matrix from a dense row-major trit array (tests, converters).</summary>
    public static TernaryMatrix FromTrits(string name, int rows, int cols, ReadOnlySpan<sbyte> trits, float scale)
    {
        if (trits.Length != (long)rows * cols) throw new ArgumentException($"matrix '{name}': {trits.Length} trits for [{rows}, {cols}]");
        int rowBytes = TernaryPacking.PackedBytes(cols);
        var packed = new byte[(long)rows * rowBytes];
        for (int n = 0; n < rows; n++)
            TernaryPacking.Pack(trits.Slice(n * cols, cols), packed.AsSpan(n * rowBytes, rowBytes));
        return new TernaryMatrix(name, rows, cols, packed, scale);
    }

    /// <summary>Unpacks all trits, row-major (tests and converters; allocates Rows x Cols bytes).</summary>
    public sbyte[] ToTrits()
    {
        var t = new sbyte[(long)Rows * Cols];
        for (int n = 0; n < Rows; n++) TernaryPacking.Unpack(Row(n), t.AsSpan(n * Cols, Cols));
        return t;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} [{Rows} x {Cols}] scale {Scale}";
}
