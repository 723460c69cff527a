using BitRom.Hardware.Components;

namespace BitRom.Hardware.Mapping;

/// <summary>
/// The ROM compiler (DESIGN.md §5.3): cuts each W [N × K] into blocks of <c>ArrayRows</c> inputs × <c>ArrayCols</c>
/// outputs, one per plane, and pairs blocks into macros.
/// </summary>
public static class RomCompiler
{
    /// <summary>Maps every matrix in order; with <c>Pack</c>, lone blocks of different matrices share macros.</summary>
    public static RomMapping Compile(IReadOnlyList<MatrixShape> shapes, ChipConfig config)
    {
        config.Validate();
        int rows = config.ArrayRows, cols = config.ArrayCols;
        var macros = new List<(PlaneBlock F, PlaneBlock? B)>();
        var assignments = new PlaneAssignment[shapes.Count];
        for (int i = 0; i < shapes.Count; i++)
        {
            MatrixShape s = shapes[i];
            int kb = Blocks(s.Cols, rows), nb = Blocks(s.Rows, cols);
            PlaneAssignment a = assignments[i] = Choose(kb, nb, config.Planes);
            if (a == PlaneAssignment.Inputs)
            {
                for (int ob = 0; ob < nb; ob++)
                    for (int ib = 0; ib < kb; ib += 2)
                        macros.Add((new(i, ib * rows, ob * cols), ib + 1 < kb ? new PlaneBlock(i, (ib + 1) * rows, ob * cols) : null));
            }
            else
            {
                for (int ib = 0; ib < kb; ib++)
                    for (int ob = 0; ob < nb; ob += 2)
                        macros.Add((new(i, ib * rows, ob * cols), ob + 1 < nb ? new PlaneBlock(i, ib * rows, (ob + 1) * cols) : null));
            }
        }
        if (config.Pack) macros = PackLoneBlocks(macros);
        return Build(shapes, assignments, macros, rows, cols);
    }

    /// <summary>Blocks needed to cover <paramref name="length"/> with blocks of <paramref name="block"/>.</summary>
    public static int Blocks(int length, int block) => (int)(((long)length + block - 1) / block);

    /// <summary>
    /// The plane assignment for a matrix of <paramref name="inputBlocks"/> × <paramref name="outputBlocks"/> blocks.
    /// Auto takes the one needing fewer macros (= least padding, since every macro has the same capacity); on a tie it
    /// takes inputs extension: each column then yields one 2·ArrayRows-long partial sum, so the adder tree sums half as
    /// many partial results and no column is flushed between the two read phases.
    /// </summary>
    public static PlaneAssignment Choose(int inputBlocks, int outputBlocks, PlaneAssignment policy)
    {
        if (policy != PlaneAssignment.Auto) return policy;
        long byInputs = (long)Blocks(inputBlocks, 2) * outputBlocks;
        long byOutputs = (long)inputBlocks * Blocks(outputBlocks, 2);
        return byOutputs < byInputs ? PlaneAssignment.Outputs : PlaneAssignment.Inputs;
    }

    // Packing [model choice, DESIGN §5.3 "a packing option"]: macros whose plane B is empty are paired in compile order,
    // the later one's block moving into the earlier one's plane B. Pairing in order keeps blocks of neighbouring
    // matrices (same layer) together, which is where a real floorplan would want them.
    private static List<(PlaneBlock F, PlaneBlock? B)> PackLoneBlocks(List<(PlaneBlock F, PlaneBlock? B)> macros)
    {
        var result = new List<(PlaneBlock F, PlaneBlock? B)>(macros.Count);
        int open = -1;
        foreach ((PlaneBlock f, PlaneBlock? b) in macros)
        {
            if (b is not null) { result.Add((f, b)); continue; }
            if (open < 0) { open = result.Count; result.Add((f, null)); continue; }
            result[open] = (result[open].F, f);
            open = -1;
        }
        return result;
    }

    /// <summary>
    /// Builds the mapping table from macro placements (compiler and mask-image reader); throws
    /// <see cref="InvalidDataException"/> when a block is placed twice, lies outside its matrix or is missing.
    /// </summary>
    internal static RomMapping Build(IReadOnlyList<MatrixShape> shapes, IReadOnlyList<PlaneAssignment> assignments,
        IReadOnlyList<(PlaneBlock F, PlaneBlock? B)> macros, int rows, int cols)
    {
        var placements = new MacroPlacement[macros.Count];
        var blocks = new (int, Direction)[shapes.Count][];
        for (int i = 0; i < shapes.Count; i++)
        {
            blocks[i] = new (int, Direction)[Blocks(shapes[i].Cols, rows) * Blocks(shapes[i].Rows, cols)];
            Array.Fill(blocks[i], (-1, Direction.F));
        }
        void Place(PlaneBlock p, int macro, Direction d)
        {
            if ((uint)p.Matrix >= (uint)shapes.Count)
                throw new InvalidDataException($"macro {macro} plane {d} refers to matrix {p.Matrix} of {shapes.Count}");
            MatrixShape s = shapes[p.Matrix];
            if (p.InputStart < 0 || p.InputStart >= s.Cols || p.InputStart % rows != 0 || p.OutputStart < 0 || p.OutputStart >= s.Rows || p.OutputStart % cols != 0)
                throw new InvalidDataException($"macro {macro} plane {d}: block at input {p.InputStart}, output {p.OutputStart} is not a block of '{s.Name}' [{s.Rows} x {s.Cols}]");
            int nb = Blocks(s.Rows, cols);
            ref (int Macro, Direction Plane) slot = ref blocks[p.Matrix][p.InputStart / rows * nb + p.OutputStart / cols];
            if (slot.Macro >= 0) throw new InvalidDataException($"block at input {p.InputStart}, output {p.OutputStart} of '{s.Name}' is placed twice (macros {slot.Macro} and {macro})");
            slot = (macro, d);
        }
        for (int m = 0; m < macros.Count; m++)
        {
            placements[m] = new MacroPlacement(m, macros[m].F, macros[m].B);
            Place(macros[m].F, m, Direction.F);
            if (macros[m].B is { } b) Place(b, m, Direction.B);
        }
        var matrices = shapes.Select((s, i) => new MatrixMapping(i, s, assignments[i], Blocks(s.Cols, rows), Blocks(s.Rows, cols))
        {
            Blocks = blocks[i],
        }).ToArray();
        return new RomMapping(rows, cols, matrices, placements);
    }
}
