using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace BitRom.Numerics.Floats;

/// <summary>The Vector256 paths of <see cref="FloatOps"/>: one register is the eight lanes of the reference tree.</summary>
public static partial class FloatOps
{
    /// <summary>Dot in the reference tree with one 8-lane accumulator: multiply, then add (never fused).</summary>
    internal static float DotVector256(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length, i = 0;
        if (b.Length < n) throw new ArgumentException($"dot of {n} and {b.Length} values");
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        Vector256<float> acc = Vector256<float>.Zero;
        for (; i + Lanes <= n; i += Lanes)
            acc = Vector256.Add(acc, Vector256.Multiply(Vector256.LoadUnsafe(ref pa, (nuint)i), Vector256.LoadUnsafe(ref pb, (nuint)i)));
        float r = Combine(acc.GetLower(), acc.GetUpper());
        for (; i < n; i++) r += a[i] * b[i];
        return r;
    }

    /// <summary>Sum in the reference tree.</summary>
    internal static float SumVector256(ReadOnlySpan<float> a)
    {
        int n = a.Length, i = 0;
        ref float pa = ref MemoryMarshal.GetReference(a);
        Vector256<float> acc = Vector256<float>.Zero;
        for (; i + Lanes <= n; i += Lanes) acc = Vector256.Add(acc, Vector256.LoadUnsafe(ref pa, (nuint)i));
        float r = Combine(acc.GetLower(), acc.GetUpper());
        for (; i < n; i++) r += a[i];
        return r;
    }

    /// <summary>
    /// ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)) from lanes 0–3 and lanes 4–7: m = low + high gives
    /// m_j = l_j + l_(j+4), then (m0+m2) + (m1+m3).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Combine(Vector128<float> low, Vector128<float> high)
    {
        Vector128<float> m = Vector128.Add(low, high);
        return (m.GetElement(0) + m.GetElement(2)) + (m.GetElement(1) + m.GetElement(3));
    }

    internal static void ScaleMulVector256(ReadOnlySpan<float> x, float inv, ReadOnlySpan<float> weight, Span<float> output)
    {
        int n = x.Length, i = 0;
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float pw = ref MemoryMarshal.GetReference(weight);
        ref float po = ref MemoryMarshal.GetReference(output);
        Vector256<float> vinv = Vector256.Create(inv);
        for (; i + Lanes <= n; i += Lanes)
        {
            Vector256<float> v = Vector256.Multiply(Vector256.Multiply(Vector256.LoadUnsafe(ref px, (nuint)i), vinv), Vector256.LoadUnsafe(ref pw, (nuint)i));
            v.StoreUnsafe(ref po, (nuint)i);
        }
        for (; i < n; i++) output[i] = x[i] * inv * weight[i];
    }

    internal static void ScaleVector256(Span<float> x, float a)
    {
        int n = x.Length, i = 0;
        ref float px = ref MemoryMarshal.GetReference(x);
        Vector256<float> va = Vector256.Create(a);
        for (; i + Lanes <= n; i += Lanes) Vector256.Multiply(Vector256.LoadUnsafe(ref px, (nuint)i), va).StoreUnsafe(ref px, (nuint)i);
        for (; i < n; i++) x[i] *= a;
    }

    internal static void AddScaledVector256(Span<float> acc, float a, ReadOnlySpan<float> v)
    {
        int n = acc.Length, i = 0;
        ref float pacc = ref MemoryMarshal.GetReference(acc);
        ref float pv = ref MemoryMarshal.GetReference(v);
        Vector256<float> va = Vector256.Create(a);
        for (; i + Lanes <= n; i += Lanes)
            Vector256.Add(Vector256.LoadUnsafe(ref pacc, (nuint)i), Vector256.Multiply(va, Vector256.LoadUnsafe(ref pv, (nuint)i))).StoreUnsafe(ref pacc, (nuint)i);
        for (; i < n; i++) acc[i] += a * v[i];
    }

    internal static void AddVector256(Span<float> x, ReadOnlySpan<float> y)
    {
        int n = x.Length, i = 0;
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        for (; i + Lanes <= n; i += Lanes)
            Vector256.Add(Vector256.LoadUnsafe(ref px, (nuint)i), Vector256.LoadUnsafe(ref py, (nuint)i)).StoreUnsafe(ref px, (nuint)i);
        for (; i < n; i++) x[i] += y[i];
    }

    internal static void SiluMulVector256(Span<float> gate, ReadOnlySpan<float> up)
    {
        int n = gate.Length, i = 0;
        ref float pg = ref MemoryMarshal.GetReference(gate);
        ref float pu = ref MemoryMarshal.GetReference(up);
        Span<float> e = stackalloc float[Lanes];
        ref float pe = ref MemoryMarshal.GetReference(e);
        for (; i + Lanes <= n; i += Lanes)
        {
            // exp stays scalar MathF.Exp (bit-identity); the divide and multiply round per element as the reference.
            for (int j = 0; j < Lanes; j++) e[j] = MathF.Exp(-gate[i + j]);
            Vector256<float> g = Vector256.LoadUnsafe(ref pg, (nuint)i);
            Vector256<float> d = Vector256.Add(Vector256<float>.One, Vector256.LoadUnsafe(ref pe));
            Vector256.Multiply(Vector256.Divide(g, d), Vector256.LoadUnsafe(ref pu, (nuint)i)).StoreUnsafe(ref pg, (nuint)i);
        }
        SiluMulReference(gate[i..], up[i..]);
    }

    internal static void Relu2MulVector256(Span<float> gate, ReadOnlySpan<float> up)
    {
        int n = gate.Length, i = 0;
        ref float pg = ref MemoryMarshal.GetReference(gate);
        ref float pu = ref MemoryMarshal.GetReference(up);
        for (; i + Lanes <= n; i += Lanes)
        {
            Vector256<float> g = Vector256.LoadUnsafe(ref pg, (nuint)i);
            // g > 0 ? g : 0 maps NaN and −0 to +0, exactly as the scalar comparison.
            g = Vector256.ConditionalSelect(Vector256.GreaterThan(g, Vector256<float>.Zero), g, Vector256<float>.Zero);
            Vector256.Multiply(Vector256.Multiply(g, g), Vector256.LoadUnsafe(ref pu, (nuint)i)).StoreUnsafe(ref pg, (nuint)i);
        }
        Relu2MulReference(gate[i..], up[i..]);
    }
}
