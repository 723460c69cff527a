using BitRom.Numerics.Floats;
using BitRom.Numerics.Ternary;

namespace BitRom.Numerics.Kernels;

/// <summary>The scalar reference backend: the specification every other backend is tested against.</summary>
public sealed class ReferenceBackend : IMatmulBackend
{
    /// <summary>Shared instance (stateless).</summary>
    public static readonly ReferenceBackend Instance = new();

    /// <inheritdoc />
    public string Name => "reference";

    /// <inheritdoc />
    public void Ternary(TernaryMatrix w, ReadOnlySpan<sbyte> q, int tokens, Span<int> acc) => TernaryGemm.Reference(w, q, tokens, acc);

    /// <inheritdoc />
    public void Dense(DenseMatrix w, ReadOnlySpan<float> x, int tokens, Span<float> y) => DenseGemm.Reference(w, x, tokens, y);
}
