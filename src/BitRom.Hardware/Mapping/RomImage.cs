using System.Security.Cryptography;
using System.Text;
using BitRom.Hardware.Components;
using BitRom.Numerics.Ternary;

namespace BitRom.Hardware.Mapping;

/// <summary>
/// A compiled chip: the mapping, the model hash and the mask of every macro. The mask comes either from the source
/// matrices (built on demand, one macro at a time, so a billion-weight model never sits in memory as cells) or from a
/// mask image read back from disk.
/// </summary>
/// <remarks>Contract: immutable content; <see cref="Macro"/> caches built arrays and is safe from one thread at a time.</remarks>
public sealed class RomImage
{
    private readonly IReadOnlyList<TernaryMatrix>? _source;
    private readonly BiRoma?[] _macros;

    private readonly Lazy<byte[]> _modelHash;

    private RomImage(RomMapping mapping, Lazy<byte[]> modelHash, IReadOnlyList<TernaryMatrix>? source, BiRoma?[] macros)
    {
        Mapping = mapping;
        _modelHash = modelHash;
        _source = source;
        _macros = macros;
    }

    /// <summary>The mapping table and macro placements.</summary>
    public RomMapping Mapping { get; }

    /// <summary>SHA-256 of the mapped matrices (<see cref="HashModel"/>), 32 bytes; computed on first use.</summary>
    public byte[] ModelHash => _modelHash.Value;

    /// <summary>Compiles <paramref name="matrices"/> onto macros of <paramref name="config"/>.</summary>
    public static RomImage Compile(IReadOnlyList<TernaryMatrix> matrices, ChipConfig config)
    {
        var shapes = matrices.Select(m => new MatrixShape(m.Name, m.Rows, m.Cols, m.Scale)).ToArray();
        RomMapping mapping = RomCompiler.Compile(shapes, config);
        return new RomImage(mapping, new Lazy<byte[]>(() => HashModel(matrices)), matrices, new BiRoma?[mapping.Macros.Count]);
    }

    /// <summary>An image whose macros were read from a mask file.</summary>
    internal static RomImage FromMacros(RomMapping mapping, byte[] modelHash, BiRoma[] macros) =>
        new(mapping, new Lazy<byte[]>(modelHash), null, macros);

    /// <summary>
    /// SHA-256 over every matrix's name (UTF-8, length-prefixed), shape, scale bits and packed codes, in order:
    /// identifies the weights a mask was compiled from.
    /// </summary>
    public static byte[] HashModel(IEnumerable<TernaryMatrix> matrices)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> head = stackalloc byte[16];
        foreach (TernaryMatrix m in matrices)
        {
            byte[] name = Encoding.UTF8.GetBytes(m.Name);
            BitConverter.TryWriteBytes(head[0..], name.Length);
            BitConverter.TryWriteBytes(head[4..], m.Rows);
            BitConverter.TryWriteBytes(head[8..], m.Cols);
            BitConverter.TryWriteBytes(head[12..], BitConverter.SingleToInt32Bits(m.Scale));
            h.AppendData(head);
            h.AppendData(name);
            h.AppendData(m.Packed.Span);
        }
        return h.GetHashAndReset();
    }

    /// <summary>Macro <paramref name="index"/>, built from the source matrices on first use and cached.</summary>
    public BiRoma Macro(int index) => _macros[index] ??= BuildMacro(index);

    /// <summary>Macro <paramref name="index"/> without caching (the mask writer streams macros through this).</summary>
    public BiRoma BuildMacro(int index)
    {
        if (_macros[index] is { } cached) return cached;
        if (_source is null) throw new InvalidOperationException($"macro {index} was not read and the image has no source matrices");
        MacroPlacement p = Mapping.Macros[index];
        var roma = new BiRoma(Mapping.ArrayRows, Mapping.ArrayCols);
        if (p.F is { } f) Fill(roma, Direction.F, f);
        if (p.B is { } b) Fill(roma, Direction.B, b);
        return roma;
    }

    private void Fill(BiRoma roma, Direction d, PlaneBlock block)
    {
        TernaryMatrix w = _source![block.Matrix];
        int rows = Math.Min(roma.Rows, w.Cols - block.InputStart), cols = Math.Min(roma.Cols, w.Rows - block.OutputStart);
        // Column c of the plane is output n; word line r is input k. Cells past the edge stay on M1 (zero padding).
        var trits = new sbyte[(long)rows * cols];
        // Blocks start at multiples of ArrayRows; when that is a multiple of 4 the block's codes start on a byte.
        bool aligned = block.InputStart % 4 == 0;
        var full = aligned ? [] : new sbyte[w.Cols];
        for (int c = 0; c < cols; c++)
        {
            ReadOnlySpan<byte> row = w.Row(block.OutputStart + c);
            Span<sbyte> column = trits.AsSpan(c * rows, rows);
            if (aligned) TernaryPacking.Unpack(row.Slice(block.InputStart / 4, TernaryPacking.PackedBytes(rows)), column);
            else
            {
                TernaryPacking.Unpack(row, full);
                full.AsSpan(block.InputStart, rows).CopyTo(column);
            }
        }
        roma.WireBlock(d, trits, rows, cols);
    }

    /// <summary>Reads matrix <paramref name="index"/>'s trits back out of the macros (row-major, N × K).</summary>
    public sbyte[] ReadTrits(int index)
    {
        MatrixMapping m = Mapping.Matrices[index];
        int n = m.Shape.Rows, k = m.Shape.Cols, rows = Mapping.ArrayRows, cols = Mapping.ArrayCols;
        var t = new sbyte[(long)n * k];
        for (int ib = 0; ib < m.InputBlocks; ib++)
            for (int ob = 0; ob < m.OutputBlocks; ob++)
            {
                (int macro, Direction d) = m.Blocks[ib * m.OutputBlocks + ob];
                BiRoma roma = Macro(macro);
                for (int r = 0; r < rows && ib * rows + r < k; r++)
                {
                    ReadOnlySpan<sbyte> line = roma.Read(d, r);
                    for (int c = 0; c < cols && ob * cols + c < n; c++) t[(long)(ob * cols + c) * k + ib * rows + r] = line[c];
                }
            }
        return t;
    }
}
