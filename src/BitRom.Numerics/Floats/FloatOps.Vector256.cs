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

    /// <summary>Four <see cref="DotVector256"/> at once, sharing the loads of x; each in the reference order.</summary>
    internal static void Dot4Vector256(ReadOnlySpan<float> r0, ReadOnlySpan<float> r1, ReadOnlySpan<float> r2, ReadOnlySpan<float> r3,
        ReadOnlySpan<float> x, Span<float> y)
    {
        int k = x.Length, i = 0;
        if (r0.Length < k || r1.Length < k || r2.Length < k || r3.Length < k || y.Length < 4) throw new ArgumentException("Dot4: spans too short");
        ref float p0 = ref MemoryMarshal.GetReference(r0), p1 = ref MemoryMarshal.GetReference(r1);
        ref float p2 = ref MemoryMarshal.GetReference(r2), p3 = ref MemoryMarshal.GetReference(r3);
        ref float px = ref MemoryMarshal.GetReference(x);
        Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        for (; i + Lanes <= k; i += Lanes)
        {
            Vector256<float> xv = Vector256.LoadUnsafe(ref px, (nuint)i);
            a0 = Vector256.Add(a0, Vector256.Multiply(Vector256.LoadUnsafe(ref p0, (nuint)i), xv));
            a1 = Vector256.Add(a1, Vector256.Multiply(Vector256.LoadUnsafe(ref p1, (nuint)i), xv));
            a2 = Vector256.Add(a2, Vector256.Multiply(Vector256.LoadUnsafe(ref p2, (nuint)i), xv));
            a3 = Vector256.Add(a3, Vector256.Multiply(Vector256.LoadUnsafe(ref p3, (nuint)i), xv));
        }
        float s0 = Combine(a0.GetLower(), a0.GetUpper()), s1 = Combine(a1.GetLower(), a1.GetUpper());
        float s2 = Combine(a2.GetLower(), a2.GetUpper()), s3 = Combine(a3.GetLower(), a3.GetUpper());
        for (; i < k; i++)
        {
            s0 += r0[i] * x[i];
            s1 += r1[i] * x[i];
            s2 += r2[i] * x[i];
            s3 += r3[i] * x[i];
        }
        y[0] = s0;
        y[1] = s1;
        y[2] = s2;
        y[3] = s3;
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

    /// <summary>AddScaledRows over 64 accumulators (eight registers) at a time, then 8, then scalars; same order per element.</summary>
    internal static void AddScaledRowsVector256(Span<float> acc, ReadOnlySpan<float> weights, ReadOnlySpan<float> rows, int stride)
    {
        int n = acc.Length, count = weights.Length, i = 0;
        ref float pacc = ref MemoryMarshal.GetReference(acc);
        ref float prow = ref MemoryMarshal.GetReference(rows);
        for (; i + 8 * Lanes <= n; i += 8 * Lanes)
        {
            ref float a = ref Unsafe.Add(ref pacc, i);
            Vector256<float> a0 = Vector256.LoadUnsafe(ref a), a1 = Vector256.LoadUnsafe(ref a, 8), a2 = Vector256.LoadUnsafe(ref a, 16), a3 = Vector256.LoadUnsafe(ref a, 24);
            Vector256<float> a4 = Vector256.LoadUnsafe(ref a, 32), a5 = Vector256.LoadUnsafe(ref a, 40), a6 = Vector256.LoadUnsafe(ref a, 48), a7 = Vector256.LoadUnsafe(ref a, 56);
            for (int p = 0; p < count; p++)
            {
                Vector256<float> w = Vector256.Create(weights[p]);
                ref float r = ref Unsafe.Add(ref prow, (nint)p * stride + i);
                a0 = Vector256.Add(a0, Vector256.Multiply(w, Vector256.LoadUnsafe(ref r)));
                a1 = Vector256.Add(a1, Vector256.Multiply(w, Vector256.LoadUnsafe(ref r, 8)));
                a2 = Vector256.Add(a2, Vector256.Multiply(w, Vector256.LoadUnsafe(ref r, 16)));
                a3 = Vector256.Add(a3, Vector256.Multiply(w, Vector256.LoadUnsafe(ref r, 24)));
                a4 = Vector256.Add(a4, Vector256.Multiply(w, Vector256.LoadUnsafe(ref r, 32)));
                a5 = Vector256.Add(a5, Vector256.Multiply(w, Vector256.LoadUnsafe(ref r, 40)));
                a6 = Vector256.Add(a6, Vector256.Multiply(w, Vector256.LoadUnsafe(ref r, 48)));
                a7 = Vector256.Add(a7, Vector256.Multiply(w, Vector256.LoadUnsafe(ref r, 56)));
            }
            a0.StoreUnsafe(ref a); a1.StoreUnsafe(ref a, 8); a2.StoreUnsafe(ref a, 16); a3.StoreUnsafe(ref a, 24);
            a4.StoreUnsafe(ref a, 32); a5.StoreUnsafe(ref a, 40); a6.StoreUnsafe(ref a, 48); a7.StoreUnsafe(ref a, 56);
        }
        for (; i + Lanes <= n; i += Lanes)
        {
            Vector256<float> a0 = Vector256.LoadUnsafe(ref pacc, (nuint)i);
            for (int p = 0; p < count; p++)
                a0 = Vector256.Add(a0, Vector256.Multiply(Vector256.Create(weights[p]), Vector256.LoadUnsafe(ref Unsafe.Add(ref prow, (nint)p * stride + i))));
            a0.StoreUnsafe(ref pacc, (nuint)i);
        }
        for (; i < n; i++)
        {
            float s = acc[i];
            for (int p = 0; p < count; p++) s += weights[p] * rows[p * stride + i];
            acc[i] = s;
        }
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
