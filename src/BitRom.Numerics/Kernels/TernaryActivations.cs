using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

    /// <summary>K: columns per token.</summary>
    public int Cols { get; private set; }

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
        Cols = cols;
        Stride = stride;
        for (int t = 0; t < tokens; t++)
            _sums[t] = Rearrange(q.Slice(t * cols, cols), _planes.AsSpan(t * stride, stride));
    }

    /// <summary>dst[c·128 + s·32 + j] = q[c·128 + 4j + s] (0 past the end); returns Σ q.</summary>
    private static int Rearrange(ReadOnlySpan<sbyte> q, Span<sbyte> dst)
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
