using BitRom.Hardware.Components;
using BitRom.Hardware.Mapping;
using BitRom.Numerics.Kernels;
using BitRom.Numerics.Ternary;

namespace BitRom.Hardware.Simulation;

/// <summary><c>chip-exact</c>: every ternary product stepped word line by word line through sense and TriMLA.</summary>
public sealed class ChipExactBackend(ChipConfig config, IMatmulBackend inner, RomImage? image = null)
    : ChipBackendBase(config, inner, image)
{
    /// <inheritdoc />
    public override string Name => "chip-exact";

    /// <inheritdoc />
    public override void Ternary(TernaryMatrix w, ReadOnlySpan<sbyte> q, int tokens, Span<int> acc)
    {
        TernaryGemm.CheckShapes(w, q.Length, acc.Length, tokens);
        Simulator.Run(Resolve(w), q, tokens, acc, Stats.For(w.Name));
    }
}

/// <summary>
/// <c>chip</c>: arithmetic from the inner (fast) backend whenever the TriMLA provably cannot overflow and sensing is
/// ideal, so the chip's result equals the exact sum; event counts then come from <see cref="AnalyticEvents"/>.
/// Otherwise the call falls back to exact stepping, which also records the observed partial-sum ranges.
/// </summary>
public sealed class ChipBackend(ChipConfig config, IMatmulBackend inner, RomImage? image = null)
    : ChipBackendBase(config, inner, image)
{
    private readonly TriMla _trimla = new(config);

    /// <inheritdoc />
    public override string Name => "chip";

    /// <summary>Calls served by the inner backend plus analytic counting.</summary>
    public long FastCalls { get; private set; }

    /// <summary>Calls that fell back to exact stepping.</summary>
    public long ExactCalls { get; private set; }

    /// <inheritdoc />
    public override void Ternary(TernaryMatrix w, ReadOnlySpan<sbyte> q, int tokens, Span<int> acc)
    {
        TernaryGemm.CheckShapes(w, q.Length, acc.Length, tokens);
        CompiledMatrix cm = Resolve(w);
        MatrixStats stats = Stats.For(w.Name);
        ReadOnlySpan<sbyte> active = q[..(tokens * w.Cols)];
        if (!Sense.Ideal || !_trimla.CannotOverflow(w.Cols, cm.RowsPerColumnSum, MaxAbs(active)))
        {
            ExactCalls++;
            Simulator.Run(cm, q, tokens, acc, stats);
            return;
        }
        FastCalls++;
        Inner.Ternary(w, q, tokens, acc);
        RomMapping rom = cm.Image.Mapping;
        cm.WeightStats ??= MatrixWeightStats.Compute(w, cm.Mapping, rom.ArrayRows, rom.ArrayCols);
        AnalyticEvents.Add(cm, cm.WeightStats, active, tokens, Config, stats.Events);
        for (int i = 0; i < tokens * w.Rows; i++) stats.Output.Observe(acc[i]);
    }

    private static int MaxAbs(ReadOnlySpan<sbyte> q)
    {
        int m = 0;
        foreach (sbyte v in q) m = Math.Max(m, Math.Abs((int)v));
        return m;
    }
}

/// <summary>Builds the backend <c>bitrom run --backend</c> names.</summary>
public static class ChipBackends
{
    /// <summary>Backend names accepted by <see cref="Create"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["engine", "chip", "chip-exact"];

    /// <summary><c>engine</c> returns <paramref name="inner"/>; <c>chip</c> and <c>chip-exact</c> wrap it.</summary>
    public static IMatmulBackend Create(string name, ChipConfig config, IMatmulBackend inner, RomImage? image = null) => name switch
    {
        "engine" => inner,
        "chip" => new ChipBackend(config, inner, image),
        "chip-exact" => new ChipExactBackend(config, inner, image),
        _ => throw new ArgumentException($"unknown backend '{name}'; known: {string.Join(", ", Names)}"),
    };
}
