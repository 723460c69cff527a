namespace BitRom.Hardware.Cost;

/// <summary>How a macro's second plane is used (DESIGN.md §5.3).</summary>
public enum PlaneAssignment
{
    /// <summary>Plane B holds inputs k+R..k+2R-1 of the same columns: one 2R-long partial dot product per column.</summary>
    ExtendInputs,
    /// <summary>Plane B holds the same R inputs for the next C outputs: the column result is flushed between the phases.</summary>
    ExtendOutputs,
}

/// <summary>
/// Analytic mapping of one matrix onto BiROMA macros (DESIGN.md §5.3): R-input x C-output blocks, the plane
/// assignment with the fewest macros (ties: fewer cycles, then inputs-extension). Counts follow from it.
/// </summary>
public sealed record MatrixMapping(MatrixShape Matrix, PlaneAssignment Assignment, int MacrosIn, int MacrosOut, long CyclesPerToken)
{
    /// <summary>Macros holding this matrix.</summary>
    public long Macros => (long)MacrosIn * MacrosOut;

    /// <summary>Cells in use (real weights, two per transistor) / cells of the macros.</summary>
    public double Utilization(ChipArchitecture arch) => (double)Matrix.Out * Matrix.In / (Macros * arch.TritsPerTransistor * arch.Rows * arch.Cols);

    /// <summary>Adder-tree depth: levels to sum the partial results of <see cref="MacrosIn"/> macros.</summary>
    public int TreeDepth => MacrosIn <= 1 ? 0 : (int)Math.Ceiling(Math.Log2(MacrosIn));

    /// <summary>Maps <paramref name="m"/> onto macros of <paramref name="arch"/>.</summary>
    public static MatrixMapping Map(MatrixShape m, ChipArchitecture arch)
    {
        int r = arch.Rows, c = arch.Cols;
        if (arch.TritsPerTransistor < 2)
        {
            // one plane (conventional CiROM): a trit spans 1/TritsPerTransistor columns
            int colsEff = Math.Max(1, (int)(c * Math.Min(1, arch.TritsPerTransistor)));
            return new MatrixMapping(m, PlaneAssignment.ExtendInputs, CeilDiv(m.In, r), CeilDiv(m.Out, colsEff), Math.Min(m.In, (long)r));
        }
        // inputs-extension: a macro covers 2R inputs x C outputs; a column reads min(K, 2R) rows per token
        var inputs = new MatrixMapping(m, PlaneAssignment.ExtendInputs, CeilDiv(m.In, 2 * r), CeilDiv(m.Out, c), Math.Min(m.In, 2L * r));
        // outputs-extension: R inputs x 2C outputs; the second phase repeats the rows for the next C outputs
        var outputs = new MatrixMapping(m, PlaneAssignment.ExtendOutputs, CeilDiv(m.In, r), CeilDiv(m.Out, 2 * c), Math.Min(m.In, (long)r) * (m.Out > c ? 2 : 1));
        if (outputs.Macros < inputs.Macros || (outputs.Macros == inputs.Macros && outputs.CyclesPerToken < inputs.CyclesPerToken)) return outputs;
        return inputs;
    }

    /// <summary>Ceiling division of positive integers.</summary>
    public static int CeilDiv(long a, long b) => (int)((a + b - 1) / b);
}
