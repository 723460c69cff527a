using BitRom.Hardware.Mapping;
using BitRom.Numerics.Ternary;

namespace BitRom.Hardware.Simulation;

/// <summary>
/// Per-matrix weight statistics the analytic event count needs: +1 and −1 trits per block (plane), and non-zero
/// trits per input index (for the activation-dependent zero-operand count).
/// </summary>
public sealed class MatrixWeightStats
{
    /// <summary>+1 trits per block, [inputBlock * OutputBlocks + outputBlock].</summary>
    public required long[] PlusPerBlock { get; init; }

    /// <summary>−1 trits per block.</summary>
    public required long[] MinusPerBlock { get; init; }

    /// <summary>Non-zero trits in input column k (over all outputs).</summary>
    public required int[] NonZeroPerInput { get; init; }

    /// <summary>One pass over <paramref name="w"/>, laid out as <paramref name="m"/> with blocks of <paramref name="rows"/> × <paramref name="cols"/>.</summary>
    public static MatrixWeightStats Compute(TernaryMatrix w, MatrixMapping m, int rows, int cols)
    {
        if (w.Rows != m.Shape.Rows || w.Cols != m.Shape.Cols)
            throw new ArgumentException($"matrix '{w.Name}' [{w.Rows} x {w.Cols}] does not match its mapping [{m.Shape.Rows} x {m.Shape.Cols}]");
        var plus = new long[m.InputBlocks * m.OutputBlocks];
        var minus = new long[plus.Length];
        var nz = new int[w.Cols];
        var trits = new sbyte[w.Cols];
        for (int n = 0; n < w.Rows; n++)
        {
            TernaryPacking.Unpack(w.Row(n), trits);
            int ob = n / cols;
            for (int k = 0; k < trits.Length; k++)
            {
                int t = trits[k];
                if (t == 0) continue;
                nz[k]++;
                int b = k / rows * m.OutputBlocks + ob;
                if (t > 0) plus[b]++;
                else minus[b]++;
            }
        }
        return new MatrixWeightStats { PlusPerBlock = plus, MinusPerBlock = minus, NonZeroPerInput = nz };
    }
}
