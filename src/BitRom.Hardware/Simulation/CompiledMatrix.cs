using BitRom.Hardware.Components;
using BitRom.Hardware.Mapping;

namespace BitRom.Hardware.Simulation;

/// <summary>One matrix as the backends see it: the image holding it, its mapping and its read segments.</summary>
public sealed class CompiledMatrix
{
    /// <summary>Binds matrix <paramref name="index"/> of <paramref name="image"/>.</summary>
    public CompiledMatrix(RomImage image, int index)
    {
        Image = image;
        Mapping = image.Mapping.Matrices[index];
        Segments = BuildSegments(image.Mapping, Mapping);
        int rows = image.Mapping.ArrayRows;
        RowsPerColumnSum = Segments.Max(s => s.Planes.Length) * rows;
        int k = Mapping.Shape.Cols;
        LatencyRows = Segments.GroupBy(s => s.Macro).Max(g => g.Sum(s => s.Planes.Length) * rows);
        LatencyValidRows = Segments.GroupBy(s => s.Macro).Max(g => g.SelectMany(s => s.Planes).Sum(p => ValidRows(p.Block, k, rows)));
    }

    /// <summary>The image holding the macros.</summary>
    public RomImage Image { get; }

    /// <summary>The mapping-table row.</summary>
    public MatrixMapping Mapping { get; }

    /// <summary>
    /// Column sums the macros produce: one per plane, or one per macro when its planes merge (inputs extension).
    /// Each is flushed to the adder tree as one partial result for its output block.
    /// </summary>
    public Segment[] Segments { get; }

    /// <summary>Most word lines one column sums before flushing (ArrayRows, or 2·ArrayRows when planes merge).</summary>
    public int RowsPerColumnSum { get; }

    /// <summary>Word lines the busiest macro reads per token when every plane reads all rows (latency: macros run in parallel, planes in sequence).</summary>
    public int LatencyRows { get; }

    /// <summary>The same when only the block's valid rows are read (<c>skip_padded_rows</c>).</summary>
    public int LatencyValidRows { get; }

    /// <summary>Word lines of a block holding inputs: ArrayRows except at the matrix's input edge.</summary>
    public static int ValidRows(PlaneBlock block, int k, int rows) => Math.Min(rows, k - block.InputStart);

    /// <summary>Weight statistics for analytic counting, computed on first use.</summary>
    public MatrixWeightStats? WeightStats { get; set; }

    /// <summary>Partial results the adder tree combines for output block <paramref name="outputBlock"/>.</summary>
    public int PartsOf(int outputBlock) => Segments.Count(s => s.OutputBlock == outputBlock);

    /// <summary>A column sum: macro, its planes read in order, and the output block it feeds.</summary>
    public sealed record Segment(int Macro, (Direction Plane, PlaneBlock Block)[] Planes, int OutputBlock);

    private static Segment[] BuildSegments(RomMapping rom, MatrixMapping m)
    {
        var list = new List<Segment>();
        foreach (int macro in m.Macros)
        {
            MacroPlacement p = rom.Macros[macro];
            var mine = new List<(Direction, PlaneBlock)>();
            if (p.F is { } f && f.Matrix == m.Index) mine.Add((Direction.F, f));
            if (p.B is { } b && b.Matrix == m.Index) mine.Add((Direction.B, b));
            if (p.PlanesMerge) list.Add(new Segment(macro, [.. mine], mine[0].Item2.OutputStart / rom.ArrayCols));
            else foreach ((Direction d, PlaneBlock blk) in mine) list.Add(new Segment(macro, [(d, blk)], blk.OutputStart / rom.ArrayCols));
        }
        return [.. list];
    }
}
