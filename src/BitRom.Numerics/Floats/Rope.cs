namespace BitRom.Numerics.Floats;

/// <summary>How RoPE pairs the dimensions of a head.</summary>
public enum RopeStyle
{
    /// <summary>Pairs (i, i + d/2): HF <c>rotate_half</c> and GGUF <c>LLAMA_ROPE_TYPE_NEOX</c> (llama.cpp's bitnet arch).</summary>
    Neox,
    /// <summary>Pairs (2i, 2i+1): GGUF <c>LLAMA_ROPE_TYPE_NORM</c> (llama arch; the converter permutes q/k rows to match HF).</summary>
    Interleaved,
}

/// <summary>
/// Rotary position embedding with a precomputed cos/sin table, shared by all backends.
/// Angles are computed in double (pos · theta^(−2j/d)) and rounded once to float, so the table is the same everywhere.
/// </summary>
public sealed class Rope
{
    private readonly float[] _cos;
    private readonly float[] _sin;

    /// <summary>Builds the table for positions 0..maxPositions−1 and rotary dimension <paramref name="dims"/> (even).</summary>
    public Rope(int dims, int maxPositions, double theta, RopeStyle style)
    {
        if (dims <= 0 || dims % 2 != 0) throw new ArgumentException($"rotary dimension {dims} must be even and positive");
        if (maxPositions <= 0) throw new ArgumentException($"maxPositions {maxPositions} must be positive");
        Dims = dims;
        MaxPositions = maxPositions;
        Style = style;
        int half = dims / 2;
        _cos = new float[(long)maxPositions * half];
        _sin = new float[(long)maxPositions * half];
        for (int p = 0; p < maxPositions; p++)
            for (int j = 0; j < half; j++)
            {
                double angle = p * Math.Pow(theta, -2.0 * j / dims);
                _cos[p * half + j] = (float)Math.Cos(angle);
                _sin[p * half + j] = (float)Math.Sin(angle);
            }
    }

    /// <summary>Rotary dimensions per head.</summary>
    public int Dims { get; }

    /// <summary>Positions covered by the table.</summary>
    public int MaxPositions { get; }

    /// <summary>Pairing convention.</summary>
    public RopeStyle Style { get; }

    /// <summary>Rotates one head vector in place at position <paramref name="pos"/>: (a, b) → (a·cos − b·sin, a·sin + b·cos).</summary>
    public void Apply(Span<float> head, int pos)
    {
        if ((uint)pos >= (uint)MaxPositions) throw new ArgumentOutOfRangeException(nameof(pos), pos, $"RoPE table covers {MaxPositions} positions");
        int half = Dims / 2;
        ReadOnlySpan<float> cos = _cos.AsSpan(pos * half, half), sin = _sin.AsSpan(pos * half, half);
        for (int j = 0; j < half; j++)
        {
            int ia = Style == RopeStyle.Neox ? j : 2 * j;
            int ib = Style == RopeStyle.Neox ? j + half : 2 * j + 1;
            float a = head[ia], b = head[ib];
            head[ia] = a * cos[j] - b * sin[j];
            head[ib] = a * sin[j] + b * cos[j];
        }
    }
}
