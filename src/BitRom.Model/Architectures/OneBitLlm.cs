using BitRom.Numerics.Ternary;

namespace BitRom.Model.Architectures;

/// <summary>
/// 1bitLLM bitnet_b1_58-large/3B: the sub-norm block of <see cref="BitNetB158"/> with SiLU, loaded from fp16
/// master weights that are ternarized online (FORMATS.md §2.3). This file holds that family's difference: the
/// per-tensor absmean ternarizer of its <c>BitLinear.forward</c> (also HF <c>WeightQuant</c>, FORMATS.md §1.2).
/// </summary>
public static class OneBitLlm
{
    /// <summary>Floor of mean|W| (<c>clamp_min(1e-5)</c>).</summary>
    public const float MeanFloor = 1e-5f;

    /// <summary>
    /// s = 1 / max(mean|W|, 1e-5); t = clamp(roundHalfToEven(W · s), −1, 1); wEff = 1 / s.
    /// The mean is accumulated in double and rounded once to float, so it is independent of summation order.
    /// </summary>
    public static TernaryMatrix Ternarize(string name, int rows, int cols, ReadOnlySpan<float> master)
    {
        if (master.Length != (long)rows * cols) throw new ArgumentException($"{name}: {master.Length} values for [{rows}, {cols}]");
        double sum = 0;
        foreach (float v in master)
        {
            if (!float.IsFinite(v)) throw new InvalidDataException($"{name}: non-finite master weight {v}");
            sum += Math.Abs(v);
        }
        float mean = Math.Max((float)(sum / master.Length), MeanFloor);
        float s = 1f / mean;
        var trits = new sbyte[master.Length];
        for (int i = 0; i < master.Length; i++)
            trits[i] = (sbyte)Math.Clamp(MathF.Round(master[i] * s, MidpointRounding.ToEven), -1f, 1f);
        return TernaryMatrix.FromTrits(name, rows, cols, trits, 1f / s);
    }
}
