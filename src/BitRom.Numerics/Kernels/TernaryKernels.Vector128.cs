using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BitRom.Numerics.Ternary;

namespace BitRom.Numerics.Kernels;

/// <summary>The SSSE3 ternary kernel: the Vector256 arithmetic on the two 16-byte halves of each 32-byte chunk.</summary>
public static partial class TernaryKernels
{
    /// <summary>Rows [rowStart, rowEnd) for every prepared token; acc is (tokens, N).</summary>
    internal static unsafe void RowsVector128(TernaryMatrix w, byte* wp, TernaryActivations a, int rowStart, int rowEnd, int* acc)
    {
        int n = w.Rows, rowBytes = w.RowBytes;
        int full = rowBytes / TernaryActivations.Plane, tail = rowBytes % TernaryActivations.Plane;
        byte* tailBuffer = stackalloc byte[TernaryActivations.Plane];
        for (int r = rowStart; r < rowEnd; r++)
        {
            byte* row = wp + (long)r * rowBytes;
            if (tail != 0) CopyTail(row, full, tail, tailBuffer);
            int chunks = full + (tail != 0 ? 1 : 0);
            for (int t = 0; t < a.Tokens; t++)
            {
                sbyte* q = a.Planes + (long)t * a.Stride;
                Vector128<int> s = Vector128<int>.Zero;
                for (int c = 0; c < chunks; c++)
                {
                    byte* p = c < full ? row + c * 32 : tailBuffer;
                    s = Sse2.Add(s, Half128(Sse2.LoadVector128(p), q + c * 128));
                    s = Sse2.Add(s, Half128(Sse2.LoadVector128(p + 16), q + c * 128 + 16));
                }
                s = Sse2.Add(s, Sse2.Shuffle(s, 0b_01_00_11_10));
                s = Sse2.Add(s, Sse2.Shuffle(s, 0b_10_11_00_01));
                acc[(long)t * n + r] = s.ToScalar() - a.Sums[t];
            }
        }
    }

    /// <summary>16 bytes of codes (64 trits) against the matching halves of the four planes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector128<int> Half128(Vector128<byte> w, sbyte* q)
    {
        Vector128<byte> mask = Vector128.Create((byte)3);
        Vector128<byte> c0 = Sse2.And(w, mask);
        Vector128<byte> c1 = Sse2.And(Sse2.ShiftRightLogical(w.AsUInt16(), 2).AsByte(), mask);
        Vector128<byte> c2 = Sse2.And(Sse2.ShiftRightLogical(w.AsUInt16(), 4).AsByte(), mask);
        Vector128<byte> c3 = Sse2.And(Sse2.ShiftRightLogical(w.AsUInt16(), 6).AsByte(), mask);
        Vector128<short> p = Sse2.Add(
            Sse2.Add(Ssse3.MultiplyAddAdjacent(c0, Sse2.LoadVector128(q)), Ssse3.MultiplyAddAdjacent(c1, Sse2.LoadVector128(q + 32))),
            Sse2.Add(Ssse3.MultiplyAddAdjacent(c2, Sse2.LoadVector128(q + 64)), Ssse3.MultiplyAddAdjacent(c3, Sse2.LoadVector128(q + 96))));
        return Sse2.MultiplyAddAdjacent(p, Vector128.Create((short)1));
    }
}
