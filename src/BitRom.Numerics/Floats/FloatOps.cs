using System.Runtime.Intrinsics;

namespace BitRom.Numerics.Floats;

/// <summary>
/// Float operations shared by every backend (norms, softmax, RoPE, attention products).
/// Each public method dispatches to the widest bit-identical path (Vector256 → Vector128 → the scalar
/// <c>…Reference</c>), so every backend and every machine computes the same floats.
/// </summary>
/// <remarks>
/// The reduction tree of <see cref="Dot"/>: eight lane sums, lane j accumulating elements i ≡ j (mod 8) of the
/// whole 8-blocks in order (product rounded, then added: no fused multiply-add anywhere), combined as
/// ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)), then the tail added in order. A Vector256 loop with separate
/// multiply and add, followed by lower+upper halves and two pairwise steps, reproduces it exactly
/// (STYLE.md §2.3 item 3). The Vector128 path keeps lanes 0–3 and 4–7 in two registers: the same tree.
/// TensorPrimitives.Dot is not used: its docs say results may differ between architectures.
/// Elementwise ops (Add, AddScaled, RmsNorm's scaling, Relu2Mul) round each element exactly as the scalar code,
/// so any width gives the same bits. MathF.Exp stays scalar on every path (a vector polynomial exp would differ).
/// </remarks>
public static partial class FloatOps
{
    /// <summary>Lanes of the fixed reduction tree.</summary>
    public const int Lanes = 8;

    /// <summary>Σ a_i·b_i in the fixed order described on the class.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (b.Length < a.Length) throw new ArgumentException($"dot of {a.Length} and {b.Length} values");
        if (Vector256.IsHardwareAccelerated) return DotVector256(a, b);
        if (Vector128.IsHardwareAccelerated) return DotVector128(a, b);
        return DotReference(a, b);
    }

    /// <summary>
    /// y[j] = <see cref="Dot"/>(r_j[..x.Length], x) for four vectors r0..r3 at once (attention scores of four positions, four head
    /// rows): four independent accumulator chains instead of one, each in exactly the order of <see cref="Dot"/>.
    /// </summary>
    public static void Dot4(ReadOnlySpan<float> r0, ReadOnlySpan<float> r1, ReadOnlySpan<float> r2, ReadOnlySpan<float> r3,
        ReadOnlySpan<float> x, Span<float> y)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            Dot4Vector256(r0, r1, r2, r3, x, y);
            return;
        }
        int k = x.Length;
        if (y.Length < 4 || r0.Length < k || r1.Length < k || r2.Length < k || r3.Length < k)
            throw new ArgumentException($"Dot4 of {k} values: rows of {r0.Length}, {r1.Length}, {r2.Length}, {r3.Length} and room for {y.Length} results");
        y[0] = Dot(r0[..k], x);
        y[1] = Dot(r1[..k], x);
        y[2] = Dot(r2[..k], x);
        y[3] = Dot(r3[..k], x);
    }

    /// <summary>Σ a_i in the same tree as <see cref="Dot"/> (softmax denominators).</summary>
    public static float Sum(ReadOnlySpan<float> a)
    {
        if (Vector256.IsHardwareAccelerated) return SumVector256(a);
        if (Vector128.IsHardwareAccelerated) return SumVector128(a);
        return SumReference(a);
    }

    /// <summary>
    /// Llama RMSNorm: out_i = (x_i · inv) · w_i with inv = 1 / sqrt(Dot(x, x) / n + eps), in float32
    /// (HF <c>LlamaRMSNorm</c> computes in fp32, FORMATS.md §2.1). <paramref name="output"/> may alias <paramref name="x"/>.
    /// </summary>
    public static void RmsNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, float eps, Span<float> output)
    {
        CheckLengths(x.Length, weight.Length, output.Length);
        float inv = RmsInverse(Dot(x, x), x.Length, eps);
        if (Vector256.IsHardwareAccelerated) ScaleMulVector256(x, inv, weight, output);
        else if (Vector128.IsHardwareAccelerated) ScaleMulVector128(x, inv, weight, output);
        else ScaleMulReference(x, inv, weight, output);
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
        Scale(x, inv);
    }

    /// <summary>x_i *= a (elementwise).</summary>
    public static void Scale(Span<float> x, float a)
    {
        if (Vector256.IsHardwareAccelerated) ScaleVector256(x, a);
        else if (Vector128.IsHardwareAccelerated) ScaleVector128(x, a);
        else ScaleReference(x, a);
    }

    /// <summary>acc_i += a · v_i (attention value accumulation; product rounded, then added; no FMA).</summary>
    public static void AddScaled(Span<float> acc, float a, ReadOnlySpan<float> v)
    {
        if (v.Length < acc.Length) throw new ArgumentException($"AddScaled of {acc.Length} and {v.Length} values");
        if (Vector256.IsHardwareAccelerated) AddScaledVector256(acc, a, v);
        else if (Vector128.IsHardwareAccelerated) AddScaledVector128(acc, a, v);
        else AddScaledReference(acc, a, v);
    }

    /// <summary>
    /// acc_i += w_p · rows[p·stride + i] for p = 0, 1, … in order: per element exactly the sequence of
    /// <see cref="AddScaled"/> calls over the rows (attention values over the positions of one head), with the
    /// accumulators held in registers across rows instead of loaded and stored once per row.
    /// </summary>
    public static void AddScaledRows(Span<float> acc, ReadOnlySpan<float> weights, ReadOnlySpan<float> rows, int stride)
    {
        int n = acc.Length, count = weights.Length;
        if (count == 0) return;
        if (stride < n || rows.Length < (long)(count - 1) * stride + n)
            throw new ArgumentException($"AddScaledRows: {count} rows of {n} at stride {stride} need {(long)(count - 1) * stride + n} values, got {rows.Length}");
        if (Vector256.IsHardwareAccelerated) AddScaledRowsVector256(acc, weights, rows, stride);
        else
            for (int p = 0; p < count; p++) AddScaled(acc, weights[p], rows.Slice(p * stride, n));
    }

    /// <summary>x_i += y_i (residual connections).</summary>
    public static void Add(Span<float> x, ReadOnlySpan<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException($"Add of {x.Length} and {y.Length} values");
        if (Vector256.IsHardwareAccelerated) AddVector256(x, y);
        else if (Vector128.IsHardwareAccelerated) AddVector128(x, y);
        else AddReference(x, y);
    }

    /// <summary>x_i = silu(g_i) · u_i with silu(g) = g / (1 + exp(−g)) (SwiGLU, LLM_FFN_SILU + PAR).</summary>
    /// <remarks>The exponentials are scalar MathF.Exp on every path; only the divide and multiply are vectorized.</remarks>
    public static void SiluMul(Span<float> gate, ReadOnlySpan<float> up)
    {
        if (up.Length < gate.Length) throw new ArgumentException($"SiluMul of {gate.Length} and {up.Length} values");
        if (Vector256.IsHardwareAccelerated) SiluMulVector256(gate, up);
        else SiluMulReference(gate, up);
    }

    /// <summary>x_i = relu(g_i)² · u_i (BitNet b1.58 2B4T <c>hidden_act: relu2</c>, FORMATS.md §2.1).</summary>
    public static void Relu2Mul(Span<float> gate, ReadOnlySpan<float> up)
    {
        if (up.Length < gate.Length) throw new ArgumentException($"Relu2Mul of {gate.Length} and {up.Length} values");
        if (Vector256.IsHardwareAccelerated) Relu2MulVector256(gate, up);
        else if (Vector128.IsHardwareAccelerated) Relu2MulVector128(gate, up);
        else Relu2MulReference(gate, up);
    }

    /// <summary>1 / sqrt(sumSquares / n + eps): the RMSNorm factor, one scalar expression on every path.</summary>
    internal static float RmsInverse(float sumSquares, int n, float eps) => 1f / MathF.Sqrt(sumSquares / n + eps);

    private static void CheckLengths(int x, int weight, int output)
    {
        if (weight < x || output < x) throw new ArgumentException($"RMSNorm of {x} values with {weight} weights into {output}");
    }
}
