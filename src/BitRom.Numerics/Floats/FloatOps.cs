namespace BitRom.Numerics.Floats;

/// <summary>
/// Float operations shared by every backend (norms, softmax, RoPE, attention products).
/// Reference; every SIMD path must match it bit for bit, so each reduction follows one fixed tree.
/// </summary>
/// <remarks>
/// The reduction tree of <see cref="Dot"/>: eight lane sums, lane j accumulating elements i ≡ j (mod 8) of the
/// whole 8-blocks in order (product rounded, then added: no fused multiply-add anywhere), combined as
/// ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)), then the tail added in order. A Vector256 loop with separate
/// multiply and add, followed by lower+upper halves and two pairwise steps, reproduces it exactly.
/// TensorPrimitives.Dot is not used: its docs say results may differ between architectures.
/// </remarks>
public static class FloatOps
{
    /// <summary>Lanes of the fixed reduction tree.</summary>
    public const int Lanes = 8;

    /// <summary>Σ a_i·b_i in the fixed order described on the class.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length;
        if (b.Length < n) throw new ArgumentException($"dot of {n} and {b.Length} values");
        float l0 = 0, l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0, l6 = 0, l7 = 0;
        int i = 0;
        for (; i + Lanes <= n; i += Lanes)
        {
            l0 += a[i] * b[i];
            l1 += a[i + 1] * b[i + 1];
            l2 += a[i + 2] * b[i + 2];
            l3 += a[i + 3] * b[i + 3];
            l4 += a[i + 4] * b[i + 4];
            l5 += a[i + 5] * b[i + 5];
            l6 += a[i + 6] * b[i + 6];
            l7 += a[i + 7] * b[i + 7];
        }
        float r = ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7));
        for (; i < n; i++) r += a[i] * b[i];
        return r;
    }

    /// <summary>Σ a_i in the same tree as <see cref="Dot"/> (softmax denominators).</summary>
    public static float Sum(ReadOnlySpan<float> a)
    {
        float l0 = 0, l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0, l6 = 0, l7 = 0;
        int i = 0, n = a.Length;
        for (; i + Lanes <= n; i += Lanes)
        {
            l0 += a[i]; l1 += a[i + 1]; l2 += a[i + 2]; l3 += a[i + 3];
            l4 += a[i + 4]; l5 += a[i + 5]; l6 += a[i + 6]; l7 += a[i + 7];
        }
        float r = ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7));
        for (; i < n; i++) r += a[i];
        return r;
    }

    /// <summary>
    /// Llama RMSNorm: out_i = (x_i · inv) · w_i with inv = 1 / sqrt(Dot(x, x) / n + eps), in float32
    /// (HF <c>LlamaRMSNorm</c> computes in fp32, FORMATS.md §2.1). <paramref name="output"/> may alias <paramref name="x"/>.
    /// </summary>
    public static void RmsNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, float eps, Span<float> output)
    {
        int n = x.Length;
        float ms = Dot(x, x) / n;
        float inv = 1f / MathF.Sqrt(ms + eps);
        for (int i = 0; i < n; i++) output[i] = x[i] * inv * weight[i];
    }

    /// <summary>In-place softmax: subtract the max, MathF.Exp, divide by the <see cref="Sum"/> (multiplied by its reciprocal).</summary>
    /// <remarks>MathF.Exp is scalar on every path: a vector polynomial exp would not be bit-identical.</remarks>
    public static void Softmax(Span<float> x)
    {
        if (x.Length == 0) return;
        float max = x[0];
        for (int i = 1; i < x.Length; i++) if (x[i] > max) max = x[i];
        for (int i = 0; i < x.Length; i++) x[i] = MathF.Exp(x[i] - max);
        float inv = 1f / Sum(x);
        for (int i = 0; i < x.Length; i++) x[i] *= inv;
    }

    /// <summary>acc_i += a · v_i (attention value accumulation; elementwise, so any width gives the same result).</summary>
    public static void AddScaled(Span<float> acc, float a, ReadOnlySpan<float> v)
    {
        for (int i = 0; i < acc.Length; i++) acc[i] += a * v[i];
    }

    /// <summary>x_i += y_i (residual connections).</summary>
    public static void Add(Span<float> x, ReadOnlySpan<float> y)
    {
        for (int i = 0; i < x.Length; i++) x[i] += y[i];
    }

    /// <summary>x_i = silu(g_i) · u_i with silu(g) = g / (1 + exp(−g)) (SwiGLU, LLM_FFN_SILU + PAR).</summary>
    public static void SiluMul(Span<float> gate, ReadOnlySpan<float> up)
    {
        for (int i = 0; i < gate.Length; i++)
        {
            float g = gate[i];
            gate[i] = g / (1f + MathF.Exp(-g)) * up[i];
        }
    }

    /// <summary>x_i = relu(g_i)² · u_i (BitNet b1.58 2B4T <c>hidden_act: relu2</c>, FORMATS.md §2.1).</summary>
    public static void Relu2Mul(Span<float> gate, ReadOnlySpan<float> up)
    {
        for (int i = 0; i < gate.Length; i++)
        {
            float g = gate[i] > 0f ? gate[i] : 0f;
            gate[i] = g * g * up[i];
        }
    }
}
