namespace BitRom.Model.Lora;

/// <summary>How a LoRA module computes (PAPER-NOTES.md §6).</summary>
public enum LoraQuantization
{
    /// <summary>Float32 A, B and x (the authors' <c>LoRALinear</c>; they run it in bf16).</summary>
    Fp,
    /// <summary>The authors' <c>QuantLoRALinear</c> default for the chip: 6-bit A and B, 8-bit x, all per tensor.</summary>
    W6A8,
    /// <summary><c>QuantLoRALinear</c> with <c>lora_a_bit = lora_b_bit = 1.58</c>: absmean ternary A and B, 8-bit x.</summary>
    Ternary,
}

/// <summary>
/// The fake quantizers of the authors' <c>quantization/quant_utils.py</c> as <c>QuantLoRALinear</c> calls them, in
/// float32: q = clamp(roundHalfToEven(v / scale), qmin, qmax) · scale (torch.round rounds half to even).
/// Reference; every other path must match it bit for bit.
/// </summary>
public static class LoraQuantizer
{
    /// <summary>Floor of every scale (<c>self.eps = 1e-8</c> in <c>QuantLoRALinear</c>).</summary>
    public const float ScaleFloor = 1e-8f;

    /// <summary>Activation bits (<c>x_bit = 8</c>).</summary>
    public const int ActivationBits = 8;

    /// <summary>Weight bits of A and B in W6A8 (<c>lora_a_bit = lora_b_bit = 6</c>, PAPER-NOTES.md §6).</summary>
    public const int WeightBits = 6;

    /// <summary>
    /// Symmetric uniform per-tensor scale of <paramref name="bits"/>: max|v| / ((qmax − qmin) / 2), i.e. max|v| / 127.5
    /// at 8 bits and max|v| / 31.5 at 6 bits, floored at 1e-8.
    /// </summary>
    public static float UniformScale(ReadOnlySpan<float> v, int bits)
    {
        float amax = 0f;
        foreach (float x in v)
        {
            if (!float.IsFinite(x)) throw new ArgumentException($"LoRA quantizer: non-finite value {x}");
            amax = MathF.Max(amax, MathF.Abs(x));
        }
        float half = ((1 << (bits - 1)) - 1 - -(1 << (bits - 1))) / 2f;
        return MathF.Max(amax / half, ScaleFloor);
    }

    /// <summary>Absmean scale of the ternary mode: mean|v| (summed in double, then float), floored at 1e-8.</summary>
    public static float AbsMeanScale(ReadOnlySpan<float> v)
    {
        double sum = 0;
        foreach (float x in v) sum += MathF.Abs(x);
        return MathF.Max(v.Length == 0 ? 0f : (float)(sum / v.Length), ScaleFloor);
    }

    /// <summary>dst = clamp(roundHalfToEven(src / scale), qmin, qmax) · scale.</summary>
    public static void FakeQuantize(ReadOnlySpan<float> src, float scale, int qmin, int qmax, Span<float> dst)
    {
        for (int i = 0; i < src.Length; i++)
            dst[i] = Math.Clamp(MathF.Round(src[i] / scale, MidpointRounding.ToEven), qmin, qmax) * scale;
    }

    /// <summary>Per-tensor uniform fake quantization at <paramref name="bits"/> (range [−2^(b−1), 2^(b−1) − 1]).</summary>
    public static float[] Uniform(ReadOnlySpan<float> src, int bits)
    {
        var dst = new float[src.Length];
        Uniform(src, bits, dst);
        return dst;
    }

    /// <summary><see cref="Uniform(ReadOnlySpan{float}, int)"/> into <paramref name="dst"/> (at least src.Length values).</summary>
    public static void Uniform(ReadOnlySpan<float> src, int bits, Span<float> dst) =>
        FakeQuantize(src, UniformScale(src, bits), -(1 << (bits - 1)), (1 << (bits - 1)) - 1, dst);

    /// <summary>Per-tensor absmean ternary fake quantization (range [−1, 1]).</summary>
    public static float[] TernaryAbsMean(ReadOnlySpan<float> src)
    {
        var dst = new float[src.Length];
        FakeQuantize(src, AbsMeanScale(src), -1, 1, dst);
        return dst;
    }
}
