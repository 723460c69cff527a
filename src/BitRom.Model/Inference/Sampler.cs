using BitRom.Model.Synthetic;

namespace BitRom.Model.Inference;

/// <summary>Sampling settings; <see cref="Temperature"/> 0 means greedy (arg max, lowest id on ties).</summary>
public sealed record SamplerOptions
{
    /// <summary>Softmax temperature; 0 = greedy.</summary>
    public float Temperature { get; init; }
    /// <summary>Keep the k most likely tokens; 0 = all.</summary>
    public int TopK { get; init; }
    /// <summary>Nucleus: keep the smallest set whose probability reaches p; 1 = all.</summary>
    public float TopP { get; init; } = 1f;
    /// <summary>HF-style repetition penalty over tokens seen so far (logit / p if positive, · p if negative); 1 = off.</summary>
    public float RepetitionPenalty { get; init; } = 1f;
    /// <summary>Seed of the sampling stream.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Checks ranges; throws naming the field.</summary>
    public SamplerOptions Validate()
    {
        if (!(Temperature >= 0) || !float.IsFinite(Temperature)) throw new ArgumentException($"temperature {Temperature} must be >= 0");
        if (TopK < 0) throw new ArgumentException($"top-k {TopK} must be >= 0");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentException($"top-p {TopP} must lie in (0, 1]");
        if (!(RepetitionPenalty > 0) || !float.IsFinite(RepetitionPenalty)) throw new ArgumentException($"repetition penalty {RepetitionPenalty} must be > 0");
        return this;
    }
}

/// <summary>
/// Picks the next token from logits: repetition penalty, then greedy or temperature → top-k → top-p → draw.
/// Seeded with <see cref="SplitMix64"/>, so a seed gives the same tokens on every runtime and backend.
/// </summary>
public sealed class Sampler
{
    private readonly SamplerOptions _o;
    private SplitMix64 _rng;
    private float[] _work = [];
    private int[] _order = [];
    private readonly Comparison<int> _byProbability;

    /// <summary>Creates a sampler.</summary>
    public Sampler(SamplerOptions options)
    {
        _o = options.Validate();
        _rng = new SplitMix64(options.Seed);
        _byProbability = CompareByProbability;
    }

    /// <summary>Chooses a token; <paramref name="history"/> feeds the repetition penalty.</summary>
    public int Sample(ReadOnlySpan<float> logits, ReadOnlySpan<int> history)
    {
        int v = logits.Length;
        if (_work.Length < v) { _work = new float[v]; _order = new int[v]; }
        Span<float> x = _work.AsSpan(0, v);
        logits.CopyTo(x);
        if (_o.RepetitionPenalty != 1f)
            foreach (int id in history)
                if ((uint)id < (uint)v) x[id] = x[id] > 0 ? x[id] / _o.RepetitionPenalty : x[id] * _o.RepetitionPenalty;
        if (_o.Temperature == 0f) return ArgMax(x);

        // probabilities at temperature, ranked descending (equal values by id)
        float max = x[ArgMax(x)];
        for (int i = 0; i < v; i++) x[i] = MathF.Exp((x[i] - max) / _o.Temperature);
        int keep = _o.TopK > 0 ? Math.Min(_o.TopK, v) : v;
        Span<int> order = _order.AsSpan(0, keep);
        if (keep < v) TopK(x, order);
        else
        {
            for (int i = 0; i < v; i++) order[i] = i;
            order.Sort(_byProbability);
        }

        double total = 0;
        for (int i = 0; i < keep; i++) total += x[order[i]];
        if (_o.TopP < 1f)
        {
            double cum = 0;
            for (int i = 0; i < keep; i++)
            {
                cum += x[order[i]];
                if (cum >= _o.TopP * total) { keep = i + 1; total = cum; break; }
            }
        }
        double r = _rng.NextDouble() * total, acc = 0;
        for (int i = 0; i < keep; i++)
        {
            acc += x[order[i]];
            if (r < acc) return order[i];
        }
        return order[keep - 1];
    }

    /// <summary>
    /// The <paramref name="top"/>.Length most likely ids in rank order, as a stable descending sort would give them,
    /// by insertion into a short ranked list: one pass over the vocabulary instead of sorting all of it every token.
    /// </summary>
    internal static void TopK(ReadOnlySpan<float> p, Span<int> top)
    {
        int k = top.Length, count = 0;
        for (int id = 0; id < p.Length; id++)
        {
            // a later id ranks after every earlier one of equal value, so it enters only when strictly larger
            if (count == k && p[id] <= p[top[k - 1]]) continue;
            int at = count < k ? count++ : k - 1;
            while (at > 0 && p[top[at - 1]] < p[id]) { top[at] = top[at - 1]; at--; }
            top[at] = id;
        }
    }

    private int CompareByProbability(int a, int b) => _work[b] != _work[a] ? _work[b].CompareTo(_work[a]) : a.CompareTo(b);

    private static int ArgMax(ReadOnlySpan<float> x)
    {
        int best = 0;
        for (int i = 1; i < x.Length; i++) if (x[i] > x[best]) best = i;
        return best;
    }
}
