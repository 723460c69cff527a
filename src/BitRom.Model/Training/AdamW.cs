namespace BitRom.Model.Training;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019) with bias correction and decoupled weight decay, after global-norm gradient
/// clipping (llm.c <c>gpt2_update</c>). Updates the float master weights of every parameter.
/// </summary>
public static class AdamW
{
    /// <summary>√(Σ g²) over every parameter, in double.</summary>
    public static double GradientNorm(IReadOnlyList<Parameter> parameters)
    {
        var partial = new double[parameters.Count];
        Parallel.For(0, parameters.Count, i =>
        {
            double s = 0;
            foreach (float g in parameters[i].G) s += (double)g * g;
            partial[i] = s;
        });
        return Math.Sqrt(partial.Sum());
    }

    /// <summary>
    /// One update at 1-based <paramref name="t"/> with learning rate <paramref name="lr"/>; gradients are scaled by
    /// min(1, clip / norm) first. Returns the gradient norm before clipping. Gradients are zeroed afterwards.
    /// </summary>
    public static double Step(IReadOnlyList<Parameter> parameters, TrainOptions o, int t, float lr)
    {
        double norm = GradientNorm(parameters);
        if (!double.IsFinite(norm)) throw new InvalidOperationException($"gradient norm is {norm} at step {t}: training diverged");
        float clip = o.ClipNorm > 0 && norm > o.ClipNorm ? (float)(o.ClipNorm / norm) : 1f;
        float b1 = o.Beta1, b2 = o.Beta2;
        float c1 = 1f / (1f - MathF.Pow(b1, t)), c2 = 1f / (1f - MathF.Pow(b2, t));
        Parallel.For(0, parameters.Count, i =>
        {
            Parameter p = parameters[i];
            float decay = p.Decay ? o.WeightDecay : 0f;
            float[] w = p.W, g = p.G, m = p.M, v = p.V;
            for (int j = 0; j < w.Length; j++)
            {
                float gj = g[j] * clip;
                m[j] = b1 * m[j] + (1 - b1) * gj;
                v[j] = b2 * v[j] + (1 - b2) * gj * gj;
                float mh = m[j] * c1, vh = v[j] * c2;
                w[j] -= lr * (mh / (MathF.Sqrt(vh) + o.Epsilon) + decay * w[j]);
                g[j] = 0f;
            }
        });
        return norm;
    }
}
