using System.Runtime.Intrinsics;

namespace BitRom.Model.Training;

/// <summary>
/// Vector256 dot product and axpy for the trainer's attention (not bit-exact with <see cref="BitRom.Numerics.Floats.FloatOps"/>:
/// the trainer's attention floats only need to be close to the engine's, ExportEquivalenceTests bounds the difference).
/// </summary>
internal static class VectorOps
{
    /// <summary>Σ a_i·b_i.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length, i = 0;
        float s = 0;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8) acc += Vector256.Create(a.Slice(i, 8)) * Vector256.Create(b.Slice(i, 8));
            s = Vector256.Sum(acc);
        }
        for (; i < n; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>y_i += alpha · x_i.</summary>
    public static void AddScaled(Span<float> y, float alpha, ReadOnlySpan<float> x)
    {
        int n = y.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(alpha);
            for (; i + 8 <= n; i += 8) (Vector256.Create(y.Slice(i, 8)) + va * Vector256.Create(x.Slice(i, 8))).CopyTo(y.Slice(i, 8));
        }
        for (; i < n; i++) y[i] += alpha * x[i];
    }
}
