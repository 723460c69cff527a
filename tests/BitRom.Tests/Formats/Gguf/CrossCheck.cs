namespace BitRom.Tests.Formats.Gguf;

/// <summary>Comparison measures of the llama.cpp cross-check.</summary>
internal static class CrossCheck
{
    /// <summary>Cosine similarity in double.</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++) { ab += (double)a[i] * b[i]; aa += (double)a[i] * a[i]; bb += (double)b[i] * b[i]; }
        return ab / Math.Sqrt(aa * bb);
    }

    /// <summary>Relative error of a logit row: max |a − b| / max |b| (per-element ratios are meaningless near zero logits).</summary>
    public static double RelativeError(ReadOnlySpan<float> a, ReadOnlySpan<float> reference)
    {
        double diff = 0, scale = 0;
        for (int i = 0; i < a.Length; i++)
        {
            diff = Math.Max(diff, Math.Abs((double)a[i] - reference[i]));
            scale = Math.Max(scale, Math.Abs((double)reference[i]));
        }
        return diff / scale;
    }
}
