namespace BitRom.Numerics.Floats;

/// <summary>The scalar references of <see cref="FloatOps"/>: the specification every SIMD path is tested against.</summary>
public static partial class FloatOps
{
    /// <summary>Reference; every other path must match it bit for bit. Σ a_i·b_i in the tree described on the class.</summary>
    internal static float DotReference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
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

    /// <summary>Reference; Σ a_i in the same tree as <see cref="DotReference"/>.</summary>
    internal static float SumReference(ReadOnlySpan<float> a)
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

    /// <summary>Reference RMSNorm (the whole op, scalar).</summary>
    internal static void RmsNormReference(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, float eps, Span<float> output)
    {
        float inv = RmsInverse(DotReference(x, x), x.Length, eps);
        ScaleMulReference(x, inv, weight, output);
    }

    /// <summary>Reference softmax (scalar max, MathF.Exp, <see cref="SumReference"/>, reciprocal multiply).</summary>
    internal static void SoftmaxReference(Span<float> x)
    {
        if (x.Length == 0) return;
        float max = x[0];
        for (int i = 1; i < x.Length; i++) if (x[i] > max) max = x[i];
        for (int i = 0; i < x.Length; i++) x[i] = MathF.Exp(x[i] - max);
        ScaleReference(x, 1f / SumReference(x));
    }

    /// <summary>Reference; out_i = (x_i · inv) · w_i.</summary>
    internal static void ScaleMulReference(ReadOnlySpan<float> x, float inv, ReadOnlySpan<float> weight, Span<float> output)
    {
        for (int i = 0; i < x.Length; i++) output[i] = x[i] * inv * weight[i];
    }

    /// <summary>Reference; x_i *= a.</summary>
    internal static void ScaleReference(Span<float> x, float a)
    {
        for (int i = 0; i < x.Length; i++) x[i] *= a;
    }

    /// <summary>Reference; acc_i += a · v_i.</summary>
    internal static void AddScaledReference(Span<float> acc, float a, ReadOnlySpan<float> v)
    {
        for (int i = 0; i < acc.Length; i++) acc[i] += a * v[i];
    }

    /// <summary>Reference; x_i += y_i.</summary>
    internal static void AddReference(Span<float> x, ReadOnlySpan<float> y)
    {
        for (int i = 0; i < x.Length; i++) x[i] += y[i];
    }

    /// <summary>Reference; gate_i = gate_i / (1 + exp(−gate_i)) · up_i.</summary>
    internal static void SiluMulReference(Span<float> gate, ReadOnlySpan<float> up)
    {
        for (int i = 0; i < gate.Length; i++)
        {
            float g = gate[i];
            gate[i] = g / (1f + MathF.Exp(-g)) * up[i];
        }
    }

    /// <summary>Reference; gate_i = relu(gate_i)² · up_i (NaN and −0 map to +0, as <c>g &gt; 0 ? g : 0</c>).</summary>
    internal static void Relu2MulReference(Span<float> gate, ReadOnlySpan<float> up)
    {
        for (int i = 0; i < gate.Length; i++)
        {
            float g = gate[i] > 0f ? gate[i] : 0f;
            gate[i] = g * g * up[i];
        }
    }
}
