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

    // Per packed byte: number of +1 codes (2) in bits 0-2, of −1 codes (0) in bits 3-5.
    private static readonly byte[] Counts = BuildCounts();

    private static byte[] BuildCounts()
    {
        var t = new byte[256];
        for (int b = 0; b < 256; b++)
            for (int i = 0; i < 4; i++)
            {
                int code = (b >> (2 * i)) & 3;
                if (code == 2) t[b] += 1;
                else if (code == 0) t[b] += 8;
            }
        return t;
    }

    /// <summary>One pass over <paramref name="w"/>, laid out as <paramref name="m"/> with blocks of <paramref name="rows"/> × <paramref name="cols"/>.</summary>
    public static MatrixWeightStats Compute(TernaryMatrix w, MatrixMapping m, int rows, int cols)
    {
        if (w.Rows != m.Shape.Rows || w.Cols != m.Shape.Cols)
            throw new ArgumentException($"matrix '{w.Name}' [{w.Rows} x {w.Cols}] does not match its mapping [{m.Shape.Rows} x {m.Shape.Cols}]");
        var plus = new long[m.InputBlocks * m.OutputBlocks];
        var minus = new long[plus.Length];
        var nz = new int[w.Cols];
        // Whole bytes (4 trits) are counted through a table when blocks start on byte boundaries; the tail of a row
        // (and every trit when ArrayRows is not a multiple of 4) goes trit by trit, so padding bits are never counted.
        int wholeBytes = rows % 4 == 0 ? w.Cols / 4 : 0;
        for (int n = 0; n < w.Rows; n++)
        {
            ReadOnlySpan<byte> row = w.Row(n);
            int ob = n / cols;
            for (int j = 0; j < wholeBytes; j++)
            {
                byte code = row[j];
                if (code == 0x55) continue; // four zeros
                int blk = j * 4 / rows * m.OutputBlocks + ob;
                plus[blk] += Counts[code] & 7;
                minus[blk] += Counts[code] >> 3;
                for (int i = 0; i < 4; i++)
                    if (((code >> (2 * i)) & 3) != 1) nz[4 * j + i]++;
            }
            for (int k = wholeBytes * 4; k < w.Cols; k++)
            {
                int t = TernaryPacking.Get(row, k);
                if (t == 0) continue;
                nz[k]++;
                int blk = k / rows * m.OutputBlocks + ob;
                if (t > 0) plus[blk]++;
                else minus[blk]++;
            }
        }
        return new MatrixWeightStats { PlusPerBlock = plus, MinusPerBlock = minus, NonZeroPerInput = nz };
    }
}
