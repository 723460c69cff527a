using BitRom.Hardware.Cost;
using BitRom.Hardware.Sweep;

namespace BitRom.Reports;

/// <summary>
/// Everything a report bundle prints: the chip's cost, the KV-traffic curve over context, the baselines
/// evaluated by the same machinery, a small sweep for the Pareto plot, and where the chip config came from.
/// </summary>
public sealed record ReportInput(ChipCost Cost, IReadOnlyList<ContextPoint> Curve, IReadOnlyList<ChipCost> Baselines,
    IReadOnlyList<SweepPoint> Sweep, string ChipSource)
{
    /// <summary>Schema version of <c>summary.json</c>.</summary>
    public const int Version = 1;

    /// <summary>The sweep the report runs for its Pareto plot: eDRAM capacity × clock × policy × KV bits (48 points).</summary>
    public static SweepSpec ReportSweep(ChipCost c) => new(c.Shape.Name, c.Workload.PromptLen, c.Workload.GenLen, SweepMode.Grid, 1, 1,
        new Dictionary<string, IReadOnlyList<string>>
        {
            ["edram_kib"] = ["0", "512", "2048", "8192"], ["clock_mhz"] = ["50", "100", "200"], ["policy"] = ["recent", "layers"], ["kv_bits"] = ["8", "16"],
        });

    /// <summary>Builds the input of a report for one (model, chip, request).</summary>
    public static ReportInput Build(ModelShape shape, CostConfig config, Workload w, bool withSweep = true)
    {
        ChipArchitecture chip = config.Chip;
        var tech = config.Technology;
        ChipCost cost = ChipEvaluator.Evaluate(shape, chip, w, tech, config.Calibration);
        var curve = ReportData.ContextCurve(shape, chip, ReportData.ContextGrid(Math.Max(w.PromptLen + w.GenLen, 4096)));
        var baselines = BitRom.Hardware.Cost.Baselines.All(chip).Skip(1).Select(b => ChipEvaluator.Evaluate(shape, b, w, tech, config.Calibration)).ToList();
        var sweep = withSweep ? SweepRunner.Run(ReportSweep(cost), shape, config) : [];
        return new ReportInput(cost, curve, baselines, sweep, config.Source);
    }
}
