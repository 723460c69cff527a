using System.Text.RegularExpressions;
using BitRom.Hardware.Components;

namespace BitRom.Hardware.Mapping;

/// <summary>A ternary matrix as the ROM compiler sees it: name, shape W [Rows = N_out × Cols = K_in], scale wEff.</summary>
public sealed record MatrixShape(string Name, int Rows, int Cols, float Scale)
{
    /// <summary>Layer index parsed from a GGUF-style name <c>blk.N.*</c>; −1 outside the blocks.</summary>
    public int Layer => LayerOf(Name);

    /// <summary>Layer of a tensor name <c>blk.N.*</c>, else −1.</summary>
    public static int LayerOf(string name)
    {
        Match m = Regex.Match(name, @"(?:^|\.)blk\.(\d+)\.");
        return m.Success && int.TryParse(m.Groups[1].Value, out int l) ? l : -1;
    }
}

/// <summary>
/// One plane's contents: the block of matrix <paramref name="Matrix"/> starting at input <paramref name="InputStart"/>
/// (word line 0) and output <paramref name="OutputStart"/> (column 0). Cells past the matrix edge are zero padding.
/// </summary>
public readonly record struct PlaneBlock(int Matrix, int InputStart, int OutputStart);

/// <summary>One macro: what its two planes hold (null = plane unused, every terminal on M1).</summary>
public sealed record MacroPlacement(int Index, PlaneBlock? F, PlaneBlock? B)
{
    /// <summary>The block of plane <paramref name="d"/>.</summary>
    public PlaneBlock? Plane(Direction d) => d == Direction.F ? F : B;

    /// <summary>
    /// True when a column accumulates plane F and then plane B into one sum (inputs extension: same matrix, same
    /// outputs); otherwise each plane's result is flushed to the adder tree separately (DESIGN.md §5.3).
    /// </summary>
    public bool PlanesMerge => F is { } f && B is { } b && f.Matrix == b.Matrix && f.OutputStart == b.OutputStart;
}

/// <summary>How one matrix was mapped: its shape, the plane assignment chosen and where each block sits.</summary>
public sealed record MatrixMapping(int Index, MatrixShape Shape, PlaneAssignment Assignment, int InputBlocks, int OutputBlocks)
{
    /// <summary>(macro, direction) of every block, indexed [inputBlock * OutputBlocks + outputBlock].</summary>
    public required (int Macro, Direction Plane)[] Blocks { get; init; }

    /// <summary>Distinct macros holding at least one block of this matrix, ascending.</summary>
    public int[] Macros => Blocks.Select(b => b.Macro).Distinct().Order().ToArray();
}

/// <summary>The ROM compiler's result: geometry, the per-matrix mapping table and the macro placements.</summary>
/// <remarks>Contract: immutable once built by <see cref="RomCompiler"/> or the mask-image reader.</remarks>
public sealed class RomMapping
{
    /// <summary>Creates a mapping; checks that every block reference is consistent.</summary>
    public RomMapping(int arrayRows, int arrayCols, IReadOnlyList<MatrixMapping> matrices, IReadOnlyList<MacroPlacement> macros)
    {
        ArrayRows = arrayRows;
        ArrayCols = arrayCols;
        Matrices = matrices;
        Macros = macros;
        foreach (MatrixMapping m in matrices)
            for (int ib = 0; ib < m.InputBlocks; ib++)
                for (int ob = 0; ob < m.OutputBlocks; ob++)
                {
                    (int macro, Direction d) = m.Blocks[ib * m.OutputBlocks + ob];
                    PlaneBlock want = new(m.Index, ib * arrayRows, ob * arrayCols);
                    if ((uint)macro >= (uint)macros.Count || macros[macro].Plane(d) != want)
                        throw new InvalidDataException($"mapping of '{m.Shape.Name}': block ({ib}, {ob}) points at macro {macro} plane {d}, which does not hold it");
                }
    }

    /// <summary>Word lines per macro (inputs per plane).</summary>
    public int ArrayRows { get; }

    /// <summary>Columns per macro (outputs per plane).</summary>
    public int ArrayCols { get; }

    /// <summary>Mapping table, in compile order.</summary>
    public IReadOnlyList<MatrixMapping> Matrices { get; }

    /// <summary>All macros.</summary>
    public IReadOnlyList<MacroPlacement> Macros { get; }

    /// <summary>Trit cells in all macros (two planes each).</summary>
    public long CapacityTrits => 2L * ArrayRows * ArrayCols * Macros.Count;

    /// <summary>Weights mapped (Σ N·K).</summary>
    public long WeightTrits => Matrices.Sum(m => (long)m.Shape.Rows * m.Shape.Cols);

    /// <summary>Fraction of trit cells holding a weight rather than padding.</summary>
    public double Utilization => Macros.Count == 0 ? 0 : (double)WeightTrits / CapacityTrits;

    /// <summary>Finds a matrix by name; null if absent.</summary>
    public MatrixMapping? Find(string name) => Matrices.FirstOrDefault(m => m.Shape.Name == name);
}
