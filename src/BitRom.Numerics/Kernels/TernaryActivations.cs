using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BitRom.Numerics.Kernels;

/// <summary>
/// int8 activations rearranged once per call for the SIMD ternary kernels: per token, per 128-column chunk,
/// four 32-byte planes where plane s, byte j holds q[chunk·128 + 4j + s], zero-padded to whole chunks;
/// plus Σ_k q[t, k] per token.
/// </summary>
/// <remarks>
/// Why move the activations rather than the weights: one 32-byte load of <see cref="Ternary.TernaryMatrix"/>'s own
/// packed row holds 128 trits, and byte j carries columns 4j..4j+3 in bit pairs 0..3. Shifting by 2s and masking
/// with 3 gives the codes of columns 4j+s for j = 0..31, which line up with plane s. So the weights are read in
/// place, at 2 bits each (the fewest bytes per token a byte-aligned ternary code allows short of base-3 packing),
/// with no second resident copy; the rearrangement costs tokens·K byte moves per matrix call, not N·K.
/// The codes are trit + 1 ∈ {0, 1, 2} (unsigned, as <c>vpmaddubsw</c> wants), so a kernel computes
/// Σ code·q and subtracts Σ q: exact int32 arithmetic, equal to Σ trit·q (ggml TQ2_0 uses the same offset trick,
/// <c>ggml_vec_dot_tq2_0_q8_K</c>, FORMATS.md §3.2). Buffers live on the pinned object heap so worker threads can use
/// raw pointers; they only grow, so steady-state calls allocate nothing.
/// </remarks>
internal sealed unsafe class TernaryActivations
{
    /// <summary>Columns per chunk: one 32-byte load of packed codes (32 bytes × 4 trits).</summary>
    public const int Chunk = 128;

    /// <summary>Bytes per plane: one 256-bit register.</summary>
    public const int Plane = 32;

    private sbyte[] _planes = [];
    private int[] _sums = [];

    /// <summary>Tokens prepared.</summary>
    public int Tokens { get; private set; }


    /// <summary>Bytes per token in <see cref="Planes"/>: K rounded up to whole chunks.</summary>
    public int Stride { get; private set; }

    /// <summary>The planes, (Tokens, Stride).</summary>
    public sbyte* Planes => (sbyte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_planes));

    /// <summary>Σ_k q[t, k] per token.</summary>
    public int* Sums => (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_sums));

    /// <summary>Rearranges q (tokens, cols) into planes.</summary>
    public void Prepare(ReadOnlySpan<sbyte> q, int tokens, int cols)
    {
        if (tokens < 0 || cols <= 0 || q.Length < (long)tokens * cols)
            throw new ArgumentException($"{tokens} tokens of {cols} columns need {(long)tokens * cols} activations, got {q.Length}");
        int stride = (cols + Chunk - 1) / Chunk * Chunk;
        if (_planes.Length < (long)tokens * stride) _planes = GC.AllocateUninitializedArray<sbyte>(Math.Max(tokens * stride, 1), pinned: true);
        if (_sums.Length < tokens) _sums = GC.AllocateUninitializedArray<int>(Math.Max(tokens, 1), pinned: true);
        Tokens = tokens;
        Stride = stride;
        for (int t = 0; t < tokens; t++)
        {
            ReadOnlySpan<sbyte> row = q.Slice(t * cols, cols);
            Span<sbyte> dst = _planes.AsSpan(t * stride, stride);
            _sums[t] = Avx2.IsSupported ? RearrangeVector256(row, dst) : Rearrange(row, dst);
        }
    }

    /// <summary>
    /// <see cref="Rearrange"/> with AVX2, 128 activations per step: <c>vpshufb</c> groups each 16-byte lane by plane
    /// (four dwords), <c>vpermd</c> makes each 32-byte load four 8-byte plane pieces, and a 4×4 transpose of those
    /// pieces (<c>vpunpck[lh]qdq</c>, <c>vperm2i128</c>) yields the four planes. Σ q comes from <c>vpsadbw</c> on
    /// q + 128 (q XOR 0x80 read unsigned), less 128 per activation: exact integer arithmetic, so equal to the loop.
    /// </summary>
    internal static unsafe int RearrangeVector256(ReadOnlySpan<sbyte> q, Span<sbyte> dst)
    {
        int k = q.Length, fullChunks = k / Chunk;
        if (dst.Length < (k + Chunk - 1) / Chunk * Chunk) throw new ArgumentException($"plane buffer of {dst.Length} bytes for {k} activations");
        Vector256<byte> byPlane = Vector256.Create((byte)0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15, 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
        Vector256<int> pieces = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
        Vector256<byte> bias = Vector256.Create((byte)0x80);
        Vector256<long> total = Vector256<long>.Zero;
        fixed (sbyte* src = q)
        fixed (sbyte* d = dst)
            for (int c = 0; c < fullChunks; c++)
            {
                byte* s = (byte*)src + c * Chunk;
                Vector256<byte> v0 = Avx.LoadVector256(s), v1 = Avx.LoadVector256(s + 32), v2 = Avx.LoadVector256(s + 64), v3 = Avx.LoadVector256(s + 96);
                total = Avx2.Add(total, Avx2.Add(
                    Avx2.Add(Avx2.SumAbsoluteDifferences(Avx2.Xor(v0, bias), Vector256<byte>.Zero).AsInt64(), Avx2.SumAbsoluteDifferences(Avx2.Xor(v1, bias), Vector256<byte>.Zero).AsInt64()),
                    Avx2.Add(Avx2.SumAbsoluteDifferences(Avx2.Xor(v2, bias), Vector256<byte>.Zero).AsInt64(), Avx2.SumAbsoluteDifferences(Avx2.Xor(v3, bias), Vector256<byte>.Zero).AsInt64())));
                // each register: qword s = plane s of its 8 columns groups (j)
                Vector256<long> p0 = Avx2.PermuteVar8x32(Avx2.Shuffle(v0, byPlane).AsInt32(), pieces).AsInt64();
                Vector256<long> p1 = Avx2.PermuteVar8x32(Avx2.Shuffle(v1, byPlane).AsInt32(), pieces).AsInt64();
                Vector256<long> p2 = Avx2.PermuteVar8x32(Avx2.Shuffle(v2, byPlane).AsInt32(), pieces).AsInt64();
                Vector256<long> p3 = Avx2.PermuteVar8x32(Avx2.Shuffle(v3, byPlane).AsInt32(), pieces).AsInt64();
                Vector256<long> t0 = Avx2.UnpackLow(p0, p1), t1 = Avx2.UnpackHigh(p0, p1), t2 = Avx2.UnpackLow(p2, p3), t3 = Avx2.UnpackHigh(p2, p3);
                byte* o = (byte*)d + c * Chunk;
                Avx.Store(o, Avx2.Permute2x128(t0, t2, 0x20).AsByte());
                Avx.Store(o + Plane, Avx2.Permute2x128(t1, t3, 0x20).AsByte());
                Avx.Store(o + 2 * Plane, Avx2.Permute2x128(t0, t2, 0x31).AsByte());
                Avx.Store(o + 3 * Plane, Avx2.Permute2x128(t1, t3, 0x31).AsByte());
            }
        long sum = total.GetElement(0) + total.GetElement(1) + total.GetElement(2) + total.GetElement(3) - 128L * fullChunks * Chunk;
        return (int)sum + Rearrange(q[(fullChunks * Chunk)..], dst[(fullChunks * Chunk)..]);
    }

    /// <summary>dst[c·128 + s·32 + j] = q[c·128 + 4j + s] (0 past the end); returns Σ q.</summary>
    internal static int Rearrange(ReadOnlySpan<sbyte> q, Span<sbyte> dst)
    {
        int k = q.Length, sum = 0, fullChunks = k / Chunk;
        for (int c = 0; c < fullChunks; c++)
        {
            ReadOnlySpan<sbyte> src = q.Slice(c * Chunk, Chunk);
            Span<sbyte> d = dst.Slice(c * Chunk, Chunk);
            for (int j = 0; j < Plane; j++)
            {
                sbyte q0 = src[4 * j], q1 = src[4 * j + 1], q2 = src[4 * j + 2], q3 = src[4 * j + 3];
                d[j] = q0;
                d[Plane + j] = q1;
                d[2 * Plane + j] = q2;
                d[3 * Plane + j] = q3;
                sum += q0 + q1 + q2 + q3;
            }
        }
        int start = fullChunks * Chunk;
        if (start < k)
        {
            Span<sbyte> d = dst.Slice(start, Chunk);
            d.Clear();
            for (int i = start; i < k; i++)
            {
                int o = i - start;
                d[(o & 3) * Plane + (o >> 2)] = q[i];
                sum += q[i];
            }
        }
        return sum;
    }
}
