using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace BitRom.Numerics.Quant;

/// <summary>The Vector256 path of the activation quantizer.</summary>
public static partial class ActivationQuantizer
{
    /// <summary>
    /// Same arithmetic as <see cref="QuantizeReference"/>, 8 values at a time: the absmax is exact in any order
    /// (max never rounds), x·s is the same float32 product, rounding is ties-to-even (<c>vroundps</c> nearest),
    /// and the clamped integral floats convert and narrow exactly. A non-finite input sends the whole call to the
    /// reference, which throws naming the index.
    /// </summary>
    internal static float QuantizeVector256(ReadOnlySpan<float> x, Span<sbyte> q)
    {
        if (q.Length < x.Length) throw new ArgumentException($"output holds {q.Length}, input {x.Length}");
        int n = x.Length, i = 0;
        ref float px = ref MemoryMarshal.GetReference(x);
        Vector256<float> max = Vector256<float>.Zero;
        Vector256<float> finite = Vector256.Create(float.MaxValue);
        Vector256<float> bad = Vector256<float>.Zero;
        for (; i + 8 <= n; i += 8)
        {
            Vector256<float> a = Vector256.Abs(Vector256.LoadUnsafe(ref px, (nuint)i));
            bad |= ~Vector256.LessThanOrEqual(a, finite); // NaN and ±Inf fail a <= MaxValue
            max = Vector256.Max(max, a);
        }
        if (bad != Vector256<float>.Zero) return QuantizeReference(x, q);
        float amax = 0f;
        for (int j = 0; j < 8; j++) if (max.GetElement(j) > amax) amax = max.GetElement(j);
        for (; i < n; i++)
        {
            float v = x[i];
            if (!float.IsFinite(v)) return QuantizeReference(x, q);
            float a = MathF.Abs(v);
            if (a > amax) amax = a;
        }
        if (amax < AmaxFloor) amax = AmaxFloor;
        float s = 127f / amax;

        ref sbyte pq = ref MemoryMarshal.GetReference(q);
        Vector256<float> vs = Vector256.Create(s), lo = Vector256.Create(-128f), hi = Vector256.Create(127f);
        i = 0;
        for (; i + 32 <= n; i += 32)
        {
            Vector256<int> a = Convert(Vector256.LoadUnsafe(ref px, (nuint)i), vs, lo, hi);
            Vector256<int> b = Convert(Vector256.LoadUnsafe(ref px, (nuint)(i + 8)), vs, lo, hi);
            Vector256<int> c = Convert(Vector256.LoadUnsafe(ref px, (nuint)(i + 16)), vs, lo, hi);
            Vector256<int> d = Convert(Vector256.LoadUnsafe(ref px, (nuint)(i + 24)), vs, lo, hi);
            Vector256.Narrow(Vector256.Narrow(a, b), Vector256.Narrow(c, d)).StoreUnsafe(ref pq, (nuint)i);
        }
        for (; i < n; i++)
        {
            float r = MathF.Round(x[i] * s, MidpointRounding.ToEven);
            q[i] = (sbyte)Math.Clamp(r, -128f, 127f);
        }
        return s;
    }

    private static Vector256<int> Convert(Vector256<float> x, Vector256<float> s, Vector256<float> lo, Vector256<float> hi)
    {
        Vector256<float> r = Vector256.Round(Vector256.Multiply(x, s)); // ties-to-even, as MathF.Round(…, ToEven)
        return Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(r, lo), hi));
    }
}
