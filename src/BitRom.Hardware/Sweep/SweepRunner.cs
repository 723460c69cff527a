using BitRom.Hardware.Cost;

namespace BitRom.Hardware.Sweep;

/// <summary>One evaluated point: the parameter values and the figures a Pareto plot needs.</summary>
public sealed record SweepPoint(int Index, IReadOnlyDictionary<string, string> Values, double EnergyPerTokenPj, double LatencyPerTokenSeconds,
    double AreaMm2, double MacroTopsPerWatt, double SystemTopsPerWatt, double TokensPerSecond, double DramBytesPerToken, bool DecodeRefreshHolds)
{
    /// <summary>True when on the Pareto front of (energy, latency, area), all minimised.</summary>
    public bool Pareto { get; init; }
}

/// <summary>Runs a <see cref="SweepSpec"/> on the analytic cost model, in parallel, deterministically (same seed, same points).</summary>
public static class SweepRunner
{
    /// <summary>The parameter values of every point, in order.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Points(SweepSpec spec)
    {
        var names = spec.Parameters.Keys.ToList();
        var points = new List<IReadOnlyDictionary<string, string>>();
        if (spec.Mode == SweepMode.Random)
        {
            var rng = new Random(unchecked((int)spec.Seed ^ (int)(spec.Seed >> 32)));
            for (int i = 0; i < spec.Samples; i++)
                points.Add(names.ToDictionary(n => n, n => spec.Parameters[n][rng.Next(spec.Parameters[n].Count)]));
            return points;
        }
        long count = spec.PointCount;
        for (long i = 0; i < count; i++)
        {
            var d = new Dictionary<string, string>();
            long rest = i;
            foreach (string n in names)
            {
                var vals = spec.Parameters[n];
                d[n] = vals[(int)(rest % vals.Count)];
                rest /= vals.Count;
            }
            points.Add(d);
        }
        return points;
    }

    /// <summary>Evaluates every point of <paramref name="spec"/> for <paramref name="shape"/>; <paramref name="progress"/> gets the count done.</summary>
    public static IReadOnlyList<SweepPoint> Run(SweepSpec spec, ModelShape shape, CostConfig config, IProgress<int>? progress = null)
    {
        var points = Points(spec);
        ChipArchitecture baseChip = config.Chip;
        var tables = new System.Collections.Concurrent.ConcurrentDictionary<int, Tables.TechnologyTable>();
        Tables.TechnologyTable Tech(int node) => tables.GetOrAdd(node, n => config.TechnologyOverrides.Count == 0
            ? Tables.TechnologyLoader.Load(n) : Tables.TechnologyLoader.Load(n).With(config.TechnologyOverrides, config.Source));
        var results = new SweepPoint[points.Count];
        int done = 0;
        Parallel.For(0, points.Count, i =>
        {
            var (chip, w) = spec.Apply(baseChip, new Workload(spec.PromptLen, spec.GenLen), points[i]);
            ChipCost c = ChipEvaluator.Evaluate(shape, chip, w, Tech(chip.NodeNm), config.Calibration);
            results[i] = new SweepPoint(i, points[i], c.Decode.EnergyPerTokenPj, c.Decode.LatencyPerTokenSeconds, c.Area.TotalSquareMillimetres,
                c.Metrics.MacroTopsPerWatt, c.Metrics.SystemTopsPerWatt, c.Decode.TokensPerSecond, c.Decode.DramTotalBytes / c.Decode.Tokens, c.Refresh.DecodeRefreshHolds);
            int n = Interlocked.Increment(ref done);
            if (progress is not null && (n % 100 == 0 || n == points.Count)) progress.Report(n);
        });
        return MarkPareto(results);
    }

    /// <summary>Marks the points no other point beats on energy, latency and area at once (all minimised).</summary>
    public static IReadOnlyList<SweepPoint> MarkPareto(IReadOnlyList<SweepPoint> points)
    {
        // sort by energy; a point is dominated iff an earlier (lower-or-equal energy) point is no worse on latency and area
        var order = points.OrderBy(p => p.EnergyPerTokenPj).ThenBy(p => p.LatencyPerTokenSeconds).ThenBy(p => p.AreaMm2).ToList();
        var front = new List<SweepPoint>();
        var flags = new bool[points.Count];
        foreach (SweepPoint p in order)
        {
            bool dominated = front.Any(q => q.LatencyPerTokenSeconds <= p.LatencyPerTokenSeconds && q.AreaMm2 <= p.AreaMm2
                && (q.EnergyPerTokenPj < p.EnergyPerTokenPj || q.LatencyPerTokenSeconds < p.LatencyPerTokenSeconds || q.AreaMm2 < p.AreaMm2));
            if (!dominated)
            {
                front.Add(p);
                flags[p.Index] = true;
            }
        }
        return points.Select(p => p with { Pareto = flags[p.Index] }).ToList();
    }
}
