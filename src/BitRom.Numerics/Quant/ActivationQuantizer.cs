using System.Runtime.Intrinsics;

namespace BitRom.Numerics.Quant;

/// <summary>
/// Per-token absmax int8 activation quantizer of BitLinear (DESIGN.md §4; HF <c>ActQuant</c>, FORMATS.md §1.2).
/// Reference; every other path must match it bit for bit.
/// </summary>
public static partial class ActivationQuantizer
{
    /// <summary>Floor of max|x| so an all-zero token does not divide by zero (HF <c>clamp_min(1e-5)</c>).</summary>
    public const float AmaxFloor = 1e-5f;

    /// <summary>
    /// q_k = clamp(roundHalfToEven(x_k * s), −128, 127) with s = 127 / max(max|x|, 1e-5), all in float32.
    /// Returns s. Throws <see cref="ArgumentException"/> naming the index on NaN or ±Inf input.
    /// </summary>
    public static float Quantize(ReadOnlySpan<float> x, Span<sbyte> q)
    {
        if (Vector256.IsHardwareAccelerated) return QuantizeVector256(x, q);
        return QuantizeReference(x, q);
    }

    /// <summary>Reference; every other path must match it bit for bit (see <see cref="Quantize"/>).</summary>
    internal static float QuantizeReference(ReadOnlySpan<float> x, Span<sbyte> q)
    {
        if (q.Length < x.Length) throw new ArgumentException($"output holds {q.Length}, input {x.Length}");
        float amax = 0f;
        for (int k = 0; k < x.Length; k++)
        {
            float v = x[k];
            if (!float.IsFinite(v)) throw new ArgumentException($"activation {v} at index {k} is not finite");
            float a = MathF.Abs(v);
            if (a > amax) amax = a;
        }
        if (amax < AmaxFloor) amax = AmaxFloor;
        float s = 127f / amax;
        for (int k = 0; k < x.Length; k++)
        {
            float r = MathF.Round(x[k] * s, MidpointRounding.ToEven);
            q[k] = (sbyte)Math.Clamp(r, -128f, 127f);
        }
        return s;
    }

    /// <summary>Quantizes <paramref name="tokens"/> rows of length K independently; scales[t] receives s of row t.</summary>
    public static void QuantizeRows(ReadOnlySpan<float> x, int tokens, Span<sbyte> q, Span<float> scales)
    {
        int k = tokens == 0 ? 0 : x.Length / tokens;
        if (tokens < 0 || k * tokens != x.Length) throw new ArgumentException($"{x.Length} values are not {tokens} rows");
        for (int t = 0; t < tokens; t++)
            scales[t] = Quantize(x.Slice(t * k, k), q.Slice(t * k, k));
    }
}
