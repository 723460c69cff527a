using BitRom.Numerics.Ternary;

namespace BitRom.Hardware.Mapping;

/// <summary>Sparsity and same-sign runs of one matrix (PAPER-NOTES §4, the authors' <c>utils/analyze_weight.py</c>).</summary>
/// <param name="Name">Matrix name.</param>
/// <param name="Rows">N.</param>
/// <param name="Cols">K.</param>
/// <param name="ZeroFraction">Fraction of zero trits.</param>
/// <param name="PlusFraction">Fraction of +1 trits.</param>
/// <param name="LongestRun">Longest run of identical non-zero trits in the flattened [N, K] row-major matrix, as the
/// authors' script computes it (runs may continue from one row's end into the next row's start).</param>
/// <param name="LongestRunInRow">Longest such run inside one row, i.e. along the input dimension only.</param>
public sealed record WeightStats(string Name, int Rows, int Cols, double ZeroFraction, double PlusFraction, long LongestRun, int LongestRunInRow)
{
    /// <summary>Analyzes <paramref name="w"/> in one pass.</summary>
    public static WeightStats Of(TernaryMatrix w)
    {
        long zeros = 0, plus = 0, run = 0, best = 0;
        int rowRun = 0, bestRow = 0, previous = 0;
        var trits = new sbyte[w.Cols];
        for (int n = 0; n < w.Rows; n++)
        {
            TernaryPacking.Unpack(w.Row(n), trits);
            rowRun = 0;
            foreach (sbyte t in trits)
            {
                if (t == 0) { zeros++; run = 0; rowRun = 0; previous = 0; continue; }
                if (t > 0) plus++;
                if (t == previous) { run++; rowRun++; }
                else { run = 1; rowRun = 1; }
                previous = t;
                best = Math.Max(best, run);
                bestRow = Math.Max(bestRow, rowRun);
            }
        }
        double total = (double)w.Rows * w.Cols;
        return new WeightStats(w.Name, w.Rows, w.Cols, zeros / total, plus / total, best, bestRow);
    }
}
