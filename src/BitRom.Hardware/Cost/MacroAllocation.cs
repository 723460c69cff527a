using BitRom.Hardware.Components;
using BitRom.Hardware.Mapping;

namespace BitRom.Hardware.Cost;

/// <summary>
/// Analytic allocation of one matrix onto BiROMA macros (DESIGN.md §5.3), with the ROM compiler's rule
/// (<see cref="RomCompiler.Choose"/>): R-input × C-output blocks, the plane assignment needing fewer macros
/// (ties: inputs). Like the compiled chip, a plane reads all its columns and, unless <see cref="ChipArchitecture.SkipPaddedRows"/>,
/// all its rows; <see cref="CyclesPerToken"/> is the busiest macro's word lines, its planes read one after another.
/// </summary>
public sealed record MacroAllocation(LayerMatrix Matrix, PlaneAssignment Assignment, int InputBlocks, int OutputBlocks, int MacrosIn, int MacrosOut, int PlanesPerMacro, long CyclesPerToken)
{
    /// <summary>Macros holding this matrix.</summary>
    public long Macros => (long)MacrosIn * MacrosOut;

    /// <summary>Blocks (one plane each).</summary>
    public long Blocks => (long)InputBlocks * OutputBlocks;

    /// <summary>Cells in use (real weights) / cells of the macros.</summary>
    public double Utilization(ChipArchitecture arch) => (double)Matrix.Out * Matrix.In / (Macros * arch.TritsPerTransistor * arch.Rows * arch.Cols);

    /// <summary>Adder-tree depth: levels to sum the partial results of <see cref="MacrosIn"/> macros.</summary>
    public int TreeDepth => MacrosIn <= 1 ? 0 : (int)Math.Ceiling(Math.Log2(MacrosIn));

    /// <summary>Maps <paramref name="m"/> onto macros of <paramref name="arch"/>.</summary>
    public static MacroAllocation Map(LayerMatrix m, ChipArchitecture arch)
    {
        int r = arch.Rows;
        if (arch.TritsPerTransistor < 2)
        {
            // one plane per macro (conventional CiROM): a trit spans 1/TritsPerTransistor columns
            int colsEff = Math.Max(1, (int)(arch.Cols * Math.Min(1, arch.TritsPerTransistor)));
            int ib = RomCompiler.Blocks(m.In, r), ob = RomCompiler.Blocks(m.Out, colsEff);
            return new MacroAllocation(m, PlaneAssignment.Inputs, ib, ob, ib, ob, 1, arch.SkipPaddedRows ? Math.Min(m.In, r) : r);
        }
        int inBlocks = RomCompiler.Blocks(m.In, r), outBlocks = RomCompiler.Blocks(m.Out, arch.Cols);
        PlaneAssignment a = RomCompiler.Choose(inBlocks, outBlocks, PlaneAssignment.Auto);
        if (a == PlaneAssignment.Inputs)
        {
            int planes = inBlocks > 1 ? 2 : 1;   // the first macro holds input blocks 0 and 1
            return new MacroAllocation(m, a, inBlocks, outBlocks, RomCompiler.Blocks(inBlocks, 2), outBlocks, planes, arch.SkipPaddedRows ? Math.Min(m.In, (long)planes * r) : (long)planes * r);
        }
        int phases = outBlocks > 1 ? 2 : 1;      // the first macro holds output blocks 0 and 1 of input block 0
        return new MacroAllocation(m, a, inBlocks, outBlocks, inBlocks, RomCompiler.Blocks(outBlocks, 2), phases, (long)phases * (arch.SkipPaddedRows ? Math.Min(m.In, r) : r));
    }
}
