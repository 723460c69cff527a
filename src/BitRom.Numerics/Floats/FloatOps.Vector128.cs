using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace BitRom.Numerics.Floats;

/// <summary>
/// The Vector128 paths of <see cref="FloatOps"/> (machines without 256-bit vectors): lanes 0–3 and 4–7 of the
/// reference tree live in two registers, combined by the same <see cref="Combine"/>.
/// </summary>
public static partial class FloatOps
{
    internal static float DotVector128(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length, i = 0;
        if (b.Length < n) throw new ArgumentException($"dot of {n} and {b.Length} values");
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        Vector128<float> low = Vector128<float>.Zero, high = Vector128<float>.Zero;
        for (; i + Lanes <= n; i += Lanes)
        {
            low = Vector128.Add(low, Vector128.Multiply(Vector128.LoadUnsafe(ref pa, (nuint)i), Vector128.LoadUnsafe(ref pb, (nuint)i)));
            high = Vector128.Add(high, Vector128.Multiply(Vector128.LoadUnsafe(ref pa, (nuint)(i + 4)), Vector128.LoadUnsafe(ref pb, (nuint)(i + 4))));
        }
        float r = Combine(low, high);
        for (; i < n; i++) r += a[i] * b[i];
        return r;
    }

    internal static float SumVector128(ReadOnlySpan<float> a)
    {
        int n = a.Length, i = 0;
        ref float pa = ref MemoryMarshal.GetReference(a);
        Vector128<float> low = Vector128<float>.Zero, high = Vector128<float>.Zero;
        for (; i + Lanes <= n; i += Lanes)
        {
            low = Vector128.Add(low, Vector128.LoadUnsafe(ref pa, (nuint)i));
            high = Vector128.Add(high, Vector128.LoadUnsafe(ref pa, (nuint)(i + 4)));
        }
        float r = Combine(low, high);
        for (; i < n; i++) r += a[i];
        return r;
    }

    internal static void ScaleMulVector128(ReadOnlySpan<float> x, float inv, ReadOnlySpan<float> weight, Span<float> output)
    {
        int n = x.Length, i = 0;
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float pw = ref MemoryMarshal.GetReference(weight);
        ref float po = ref MemoryMarshal.GetReference(output);
        Vector128<float> vinv = Vector128.Create(inv);
        for (; i + 4 <= n; i += 4)
            Vector128.Multiply(Vector128.Multiply(Vector128.LoadUnsafe(ref px, (nuint)i), vinv), Vector128.LoadUnsafe(ref pw, (nuint)i)).StoreUnsafe(ref po, (nuint)i);
        for (; i < n; i++) output[i] = x[i] * inv * weight[i];
    }

    internal static void ScaleVector128(Span<float> x, float a)
    {
        int n = x.Length, i = 0;
        ref float px = ref MemoryMarshal.GetReference(x);
        Vector128<float> va = Vector128.Create(a);
        for (; i + 4 <= n; i += 4) Vector128.Multiply(Vector128.LoadUnsafe(ref px, (nuint)i), va).StoreUnsafe(ref px, (nuint)i);
        for (; i < n; i++) x[i] *= a;
    }

    internal static void AddScaledVector128(Span<float> acc, float a, ReadOnlySpan<float> v)
    {
        int n = acc.Length, i = 0;
        ref float pacc = ref MemoryMarshal.GetReference(acc);
        ref float pv = ref MemoryMarshal.GetReference(v);
        Vector128<float> va = Vector128.Create(a);
        for (; i + 4 <= n; i += 4)
            Vector128.Add(Vector128.LoadUnsafe(ref pacc, (nuint)i), Vector128.Multiply(va, Vector128.LoadUnsafe(ref pv, (nuint)i))).StoreUnsafe(ref pacc, (nuint)i);
        for (; i < n; i++) acc[i] += a * v[i];
    }

    internal static void AddVector128(Span<float> x, ReadOnlySpan<float> y)
    {
        int n = x.Length, i = 0;
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        for (; i + 4 <= n; i += 4)
            Vector128.Add(Vector128.LoadUnsafe(ref px, (nuint)i), Vector128.LoadUnsafe(ref py, (nuint)i)).StoreUnsafe(ref px, (nuint)i);
        for (; i < n; i++) x[i] += y[i];
    }

    internal static void Relu2MulVector128(Span<float> gate, ReadOnlySpan<float> up)
    {
        int n = gate.Length, i = 0;
        ref float pg = ref MemoryMarshal.GetReference(gate);
        ref float pu = ref MemoryMarshal.GetReference(up);
        for (; i + 4 <= n; i += 4)
        {
            Vector128<float> g = Vector128.LoadUnsafe(ref pg, (nuint)i);
            g = Vector128.ConditionalSelect(Vector128.GreaterThan(g, Vector128<float>.Zero), g, Vector128<float>.Zero);
            Vector128.Multiply(Vector128.Multiply(g, g), Vector128.LoadUnsafe(ref pu, (nuint)i)).StoreUnsafe(ref pg, (nuint)i);
        }
        Relu2MulReference(gate[i..], up[i..]);
    }
}
