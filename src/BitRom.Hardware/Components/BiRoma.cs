namespace BitRom.Hardware.Components;

/// <summary>The three source lines a transistor terminal can be wired to (PAPER-NOTES §3: M1, M2, M3).</summary>
/// <remarks>Numeric values are the 2-bit codes of the mask image; 0 is reserved (an unwired terminal is invalid).</remarks>
public enum Line : byte
{
    /// <summary>Held at VDD/2; stands for trit 0.</summary>
    M1 = 1,
    /// <summary>Held at VDD/4; stands for trit +1.</summary>
    M2 = 2,
    /// <summary>Held at VSS; stands for trit −1.</summary>
    M3 = 3,
}

/// <summary>Read direction of a BiROMA (DESIGN.md §5.2).</summary>
public enum Direction
{
    /// <summary>E side drives, O side senses: reads the E-terminal lines, plane F.</summary>
    F = 0,
    /// <summary>O side drives, E side senses: reads the O-terminal lines, plane B.</summary>
    B = 1,
}

/// <summary>
/// Bidirectional ROM array: <c>Rows</c> word lines × <c>Cols</c> columns of single transistors, each storing two
/// trits as the lines its E and O terminals are wired to (DESIGN.md §5.2; PAPER-NOTES §3).
/// </summary>
/// <remarks>
/// Contract: the mask is written once through <see cref="Wire"/> while building, then only read. The plane views are
/// derived caches. Action counting (sense reads) is done by the simulator that drives the array, per word-line read.
/// </remarks>
public sealed class BiRoma
{
    private readonly byte[] _cells; // per transistor: E line code | O line code << 2
    private sbyte[]?[] _planes = new sbyte[]?[2];

    /// <summary>An array with every terminal wired to M1 (all trits 0: the zero padding of DESIGN.md §5.3).</summary>
    public BiRoma(int rows, int cols)
    {
        if (rows <= 0 || cols <= 0) throw new ArgumentException($"BiROMA geometry {rows} x {cols} must be positive");
        Rows = rows;
        Cols = cols;
        _cells = new byte[(long)rows * cols];
        Array.Fill(_cells, Cell(Line.M1, Line.M1));
    }

    /// <summary>Word lines.</summary>
    public int Rows { get; }

    /// <summary>Columns (sense amplifiers, TriMLAs).</summary>
    public int Cols { get; }

    /// <summary>The trit a line stands for: M1 = 0, M2 = +1, M3 = −1 (PAPER-NOTES §3).</summary>
    public static sbyte TritOf(Line line) => line switch
    {
        Line.M1 => 0,
        Line.M2 => 1,
        Line.M3 => -1,
        _ => throw new ArgumentOutOfRangeException(nameof(line), line, "not a BiROMA line"),
    };

    /// <summary>The line that stands for <paramref name="trit"/>.</summary>
    public static Line LineOf(int trit) => trit switch
    {
        0 => Line.M1,
        1 => Line.M2,
        -1 => Line.M3,
        _ => throw new ArgumentOutOfRangeException(nameof(trit), trit, "not a trit"),
    };

    /// <summary>The line's drive level as a fraction of VDD: 1/2, 1/4, 0 (PAPER-NOTES §3).</summary>
    public static double LevelVdd(Line line) => line switch
    {
        Line.M1 => 0.5,
        Line.M2 => 0.25,
        Line.M3 => 0.0,
        _ => throw new ArgumentOutOfRangeException(nameof(line), line, "not a BiROMA line"),
    };

    /// <summary>Packs a transistor's two terminal lines into the mask image's 4-bit cell code.</summary>
    public static byte Cell(Line e, Line o) => (byte)((int)e | ((int)o << 2));

    /// <summary>The line the E terminal of (row, col) is wired to.</summary>
    public Line E(int row, int col) => (Line)(_cells[Index(row, col)] & 3);

    /// <summary>The line the O terminal of (row, col) is wired to.</summary>
    public Line O(int row, int col) => (Line)(_cells[Index(row, col)] >> 2);

    /// <summary>Wires the terminal that holds plane <paramref name="direction"/> of (row, col) to the line of <paramref name="trit"/>.</summary>
    public void Wire(Direction direction, int row, int col, int trit)
    {
        long i = Index(row, col);
        Line line = LineOf(trit);
        _cells[i] = direction == Direction.F
            ? (byte)((_cells[i] & 0b1100) | (int)line)
            : (byte)((_cells[i] & 0b0011) | ((int)line << 2));
        _planes[(int)direction] = null;
    }

    /// <summary>
    /// Wires plane <paramref name="direction"/> from a column-major block: <paramref name="trits"/>[c · rows + r] goes to
    /// word line r, column c, for r &lt; <paramref name="rows"/>, c &lt; <paramref name="cols"/> (the compiler's bulk path;
    /// the same effect as <see cref="Wire"/> per cell). Cells outside the block keep their lines.
    /// </summary>
    public void WireBlock(Direction direction, ReadOnlySpan<sbyte> trits, int rows, int cols)
    {
        if (rows > Rows || cols > Cols || trits.Length < (long)rows * cols)
            throw new ArgumentOutOfRangeException(nameof(trits), $"block {rows} x {cols} does not fit {Rows} x {Cols}");
        int shift = direction == Direction.F ? 0 : 2, keep = direction == Direction.F ? 0b1100 : 0b0011;
        // Row-major writes, strided reads: the cell array is written sequentially, which is what dominates.
        for (int r = 0; r < rows; r++)
        {
            Span<byte> line = _cells.AsSpan(r * Cols, cols);
            for (int c = 0; c < line.Length; c++)
                line[c] = (byte)((line[c] & keep) | ((int)LineOf(trits[c * rows + r]) << shift));
        }
        _planes[(int)direction] = null;
    }

    /// <summary>The 4-bit cell codes, row-major (mask image writer).</summary>
    public ReadOnlySpan<byte> Cells => _cells;

    /// <summary>Builds an array from mask-image cell codes; throws naming the first unwired or invalid cell.</summary>
    public static BiRoma FromCells(int rows, int cols, ReadOnlySpan<byte> cells, string where)
    {
        var a = new BiRoma(rows, cols);
        if (cells.Length != a._cells.Length) throw new InvalidDataException($"{where}: {cells.Length} cells for {rows} x {cols}");
        for (int i = 0; i < cells.Length; i++)
        {
            int c = cells[i];
            if (c > 0xF || (c & 3) == 0 || (c >> 2) == 0)
                throw new InvalidDataException($"{where}: cell {i} (row {i / cols}, column {i % cols}) has invalid line code 0x{c:X}");
        }
        cells.CopyTo(a._cells);
        return a;
    }

    /// <summary>
    /// The ideal trits of word line <paramref name="row"/> read in <paramref name="direction"/>: what the sense
    /// amplifiers output when the bit line settles at the level of the line the driving terminal is wired to.
    /// </summary>
    public ReadOnlySpan<sbyte> Read(Direction direction, int row)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"word line outside [0, {Rows})");
        return Plane(direction).AsSpan(row * Cols, Cols);
    }

    private sbyte[] Plane(Direction direction)
    {
        // Decoded once per direction: stepping reads every word line many times, the line lookup would dominate.
        sbyte[]? p = _planes[(int)direction];
        if (p is not null) return p;
        p = new sbyte[_cells.Length];
        int shift = direction == Direction.F ? 0 : 2;
        for (int i = 0; i < p.Length; i++) p[i] = TritOf((Line)((_cells[i] >> shift) & 3));
        _planes[(int)direction] = p;
        return p;
    }

    private long Index(int row, int col)
    {
        if ((uint)row >= (uint)Rows || (uint)col >= (uint)Cols)
            throw new ArgumentOutOfRangeException($"cell ({row}, {col}) outside {Rows} x {Cols}");
        return (long)row * Cols + col;
    }
}
