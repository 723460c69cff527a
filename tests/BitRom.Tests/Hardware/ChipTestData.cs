using BitRom.Hardware.Components;
using BitRom.Numerics.Ternary;

namespace BitRom.Tests.Hardware;

/// <summary>Small geometries and seeded matrices that keep exact stepping fast.</summary>
internal static class ChipTestData
{
    /// <summary>64 × 32 macros with 8-row groups: small enough for exact stepping in tests, same structure as 2,048 × 1,024.</summary>
    public static ChipConfig Small() => new ChipConfig
    {
        Name = "test-64x32", ArrayRows = 64, ArrayCols = 32, GroupRows = 8, LocalBits = 12, GlobalBits = 24,
    }.Validate();

    /// <summary>A random ternary matrix with the given zero fraction.</summary>
    public static TernaryMatrix Matrix(string name, int rows, int cols, int seed, double zeroFraction = 1.0 / 3)
    {
        var rng = new Random(seed);
        var t = new sbyte[rows * cols];
        for (int i = 0; i < t.Length; i++) t[i] = rng.NextDouble() < zeroFraction ? (sbyte)0 : (sbyte)(rng.Next(2) * 2 - 1);
        return TernaryMatrix.FromTrits(name, rows, cols, t, 0.5f + (float)rng.NextDouble());
    }

    /// <summary>Random int8 activations in [−127, 127] (the quantizer's range), about 10 % exact zeros.</summary>
    public static sbyte[] Activations(int tokens, int k, int seed, int min = -127, int max = 127)
    {
        var rng = new Random(seed);
        var q = new sbyte[tokens * k];
        for (int i = 0; i < q.Length; i++) q[i] = rng.NextDouble() < 0.1 ? (sbyte)0 : (sbyte)rng.Next(min, max + 1);
        return q;
    }
}
