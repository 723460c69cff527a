using BitRom.Numerics.Ternary;

namespace BitRom.Tests.Kernels;

/// <summary>Seeded random inputs shared by the kernel equivalence tests.</summary>
internal static class KernelTestData
{
    /// <summary>K values of the issue: 0, 1, around one and two 32/128/256 blocks, and 4096 + 7.</summary>
    public static readonly int[] Widths = [0, 1, 31, 32, 33, 127, 128, 129, 255, 256, 257, 4103];

    /// <summary>Token counts: decode (1), a partial GEMM tile, a full tile, a tile plus remainder.</summary>
    public static readonly int[] TokenCounts = [1, 2, 4, 5, 9];

    /// <summary>A random ternary matrix; every fourth matrix is all −1 or all +1 to reach the int16 bounds.</summary>
    public static TernaryMatrix Matrix(Random rng, int rows, int cols, int mode = 0)
    {
        var trits = new sbyte[rows * cols];
        for (int i = 0; i < trits.Length; i++)
            trits[i] = mode switch { 1 => -1, 2 => 1, _ => (sbyte)rng.Next(-1, 2) };
        return TernaryMatrix.FromTrits($"w{rows}x{cols}", rows, cols, trits, 0.5f);
    }

    /// <summary>Random int8 activations; mode 1 is all −128 (the extreme that overflows a naive int8 sign trick).</summary>
    public static sbyte[] Activations(Random rng, int count, int mode = 0)
    {
        var q = new sbyte[count];
        for (int i = 0; i < count; i++) q[i] = mode == 1 ? sbyte.MinValue : (sbyte)rng.Next(-128, 128);
        return q;
    }

    /// <summary>Random floats in a spread of magnitudes (so rounding order matters), with exact zeros and negative zeros.</summary>
    public static float[] Floats(Random rng, int count)
    {
        var x = new float[count];
        for (int i = 0; i < count; i++)
        {
            x[i] = (i % 17) switch
            {
                0 => 0f,
                1 => -0f,
                _ => (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-3, 4))),
            };
        }
        return x;
    }
}
