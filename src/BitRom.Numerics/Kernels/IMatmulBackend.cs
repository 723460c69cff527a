using BitRom.Numerics.Floats;
using BitRom.Numerics.Ternary;

namespace BitRom.Numerics.Kernels;

/// <summary>
/// The matrix products of the forward pass. Implementations: reference (scalar), fast (SIMD, threaded),
/// chip (routes through mapped BiROMA macros and counts events).
/// </summary>
/// <remarks>
/// Contract: every implementation returns the exact int32 accumulations of <see cref="TernaryGemm.Reference"/>
/// and the exact floats of <see cref="DenseGemm.Reference"/>; nothing else may differ between backends
/// (DESIGN.md §4). Implementations may keep per-matrix caches keyed by the matrix instance but never
/// mutate the matrices.
/// </remarks>
public interface IMatmulBackend
{
    /// <summary>Short name printed in reports, e.g. <c>reference</c>.</summary>
    string Name { get; }

    /// <summary>acc[t, n] = Σ_k W[n, k] · q[t, k]; q is (tokens, K), acc is (tokens, N).</summary>
    void Ternary(TernaryMatrix w, ReadOnlySpan<sbyte> q, int tokens, Span<int> acc);

    /// <summary>
    /// <see cref="Ternary"/> for several matrices of the same K applied to the same q (q/k/v, gate/up): acc holds
    /// each product's (tokens, N_j) block one after the other. A backend may run them as one job (one hand-off
    /// and one end-of-call wait instead of several); the default calls <see cref="Ternary"/> per matrix in order.
    /// </summary>
    void TernaryMany(ReadOnlySpan<TernaryMatrix> ws, ReadOnlySpan<sbyte> q, int tokens, Span<int> acc)
    {
        int offset = 0;
        foreach (TernaryMatrix w in ws)
        {
            Ternary(w, q, tokens, acc.Slice(offset, tokens * w.Rows));
            offset += tokens * w.Rows;
        }
    }

    /// <summary>y[t, n] = Dot(W[n, :], x[t, :]) in the fixed order of <see cref="FloatOps.Dot"/>; x (tokens, K), y (tokens, N).</summary>
    void Dense(DenseMatrix w, ReadOnlySpan<float> x, int tokens, Span<float> y);
}

/// <summary>A backend that lends its worker pool to the rest of the forward pass (attention heads run on it too).</summary>
/// <remarks>Contract: the pool is only used from the thread that calls the backend, between matrix calls.</remarks>
public interface IParallelBackend
{
    /// <summary>The pool the backend splits its rows over.</summary>
    Threading.WorkerPool Pool { get; }

    /// <summary>Multiply-accumulates below which a piece of work runs on the caller alone (a hand-off costs about a microsecond).</summary>
    long InlineWork { get; }
}
