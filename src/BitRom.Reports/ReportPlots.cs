using BitRom.Hardware.Cost;
using BitRom.Hardware.Sweep;
using ScottPlot;

namespace BitRom.Reports;

/// <summary>The plots of a report bundle (ScottPlot 5), each written as PNG and SVG.</summary>
public static class ReportPlots
{
    private const int Width = 900, Height = 520;

    /// <summary>Writes every plot of <paramref name="input"/> into <paramref name="dir"/>; returns the base names written.</summary>
    public static IReadOnlyList<string> Write(ReportInput input, string dir)
    {
        Directory.CreateDirectory(dir);
        var names = new List<string>();
        void Save(Plot p, string name)
        {
            p.SavePng(Path.Combine(dir, name + ".png"), Width, Height);
            p.SaveSvg(Path.Combine(dir, name + ".svg"), Width, Height);
            names.Add(name);
        }
        Save(EnergyBars(input.Cost), "energy_breakdown");
        Save(AreaBars(input.Cost), "area_breakdown");
        Save(DramVsContext(input), "dram_vs_context");
        Save(Roofline(input.Cost), "roofline");
        if (input.Sweep.Count > 0) Save(Pareto(input.Sweep, input.Cost.Shape.Name), "sweep_pareto");
        return names;
    }

    /// <summary>Stacked bars of energy per token (µJ) by component, prefill and decode.</summary>
    public static Plot EnergyBars(ChipCost c)
    {
        var phases = new[] { c.Prefill, c.Decode };
        var comps = phases.SelectMany(p => p.Energy.ByComponent().Select(x => x.Component)).Distinct().ToList();
        var series = new List<(string Label, double[] Values)>();
        foreach (string comp in comps)
            series.Add((comp, phases.Select(p => p.Energy.ByComponent().Where(x => x.Component == comp).Sum(x => x.Dynamic) / p.Tokens * 1e-6).ToArray()));
        series.Add(("static (all)", phases.Select(p => p.Energy.StaticTotalPicoJoules / p.Tokens * 1e-6).ToArray()));
        Plot plot = Stacked(series, ["prefill / token", "decode / token"]);
        plot.Title($"Energy per token by component — {c.Shape.Name}, {c.Arch.Name} {c.Arch.NodeNm} nm");
        plot.YLabel("energy per token (µJ)");
        return plot;
    }

    /// <summary>Stacked bar of area (mm²) by component.</summary>
    public static Plot AreaBars(ChipCost c)
    {
        var comps = c.Area.Lines.Select(l => l.Component).Distinct().ToList();
        var series = comps.Select(comp => (comp, new[] { c.Area.SquareMillimetres(comp) })).ToList();
        Plot plot = Stacked(series, [$"{c.Area.TotalSquareMillimetres:N1} mm² total"]);
        plot.Title($"Area by component — {c.Shape.Name} ({c.Area.Macros:N0} macros)");
        plot.YLabel("area (mm²)");
        return plot;
    }

    private static Plot Stacked(IReadOnlyList<(string Label, double[] Values)> series, string[] groups)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category20();
        var bars = new List<Bar>();
        var bases = new double[groups.Length];
        for (int s = 0; s < series.Count; s++)
        {
            Color color = palette.GetColor(s);
            for (int g = 0; g < groups.Length; g++)
            {
                double v = series[s].Values[g];
                bars.Add(new Bar { Position = g, ValueBase = bases[g], Value = bases[g] + v, FillColor = color, Size = 0.5 });
                bases[g] += v;
            }
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s].Label, FillColor = color });
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(Enumerable.Range(0, groups.Length).Select(i => (double)i).ToArray(), groups);
        plot.Axes.Margins(bottom: 0);
        plot.Axes.SetLimitsX(-0.6, groups.Length - 0.4 + 0.9);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>Decode DRAM traffic per token vs context length, with and without the DR eDRAM (log-log; zero traffic is not drawn).</summary>
    public static Plot DramVsContext(ReportInput input)
    {
        var plot = new Plot();
        void Series(Func<ContextPoint, double> bytes, string label)
        {
            var pts = input.Curve.Where(p => bytes(p) > 0).ToList();
            var sc = plot.Add.Scatter(pts.Select(p => Math.Log10(p.Context)).ToArray(), pts.Select(p => Math.Log10(bytes(p) / 1024)).ToArray());
            sc.LegendText = label;
        }
        long window = KvPlacement.WindowTokens(input.Cost.Shape, input.Cost.Arch);
        Series(p => p.DramBytesWithoutEdram, "without DR eDRAM (all KV in DRAM)");
        Series(p => p.DramBytesWithEdram, $"with DR eDRAM ({input.Cost.Arch.EdramBytes >> 10} KiB {input.Cost.Arch.Policy.ToString().ToLowerInvariant()}; 0 B up to {window} tokens)");
        return LogLog(plot, $"External DRAM traffic per decode token — {input.Cost.Shape.Name}, KV {input.Cost.Arch.KvBits}-bit",
            "context length (tokens, log)", "DRAM KiB per decode token (log)", Alignment.UpperLeft);
    }

    /// <summary>Decade ticks on both axes (the data are log10 values), title, axis labels and legend.</summary>
    private static Plot LogLog(Plot plot, string title, string xLabel, string yLabel, Alignment legend)
    {
        plot.Axes.Bottom.TickGenerator = LogTicks();
        plot.Axes.Left.TickGenerator = LogTicks();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(legend);
        return plot;
    }

    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks() =>
        new() { LabelFormatter = v => $"{Math.Pow(10, v):G3}", IntegerTicksOnly = true, MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator() };

    /// <summary>Roofline on log-log axes: compute roof, DRAM roof, and the prefill and decode points.</summary>
    public static Plot Roofline(ChipCost c)
    {
        var plot = new Plot();
        ChipMetrics m = c.Metrics;
        double bw = m.DramGBytesPerSecond * 1e9 / 1e12;                       // TOPS per (op/byte)
        double[] ai = Enumerable.Range(0, 81).Select(i => Math.Pow(10, -2 + i * 0.1)).ToArray();
        var roof = plot.Add.Scatter(ai.Select(Math.Log10).ToArray(), ai.Select(a => Math.Log10(Math.Min(m.PeakTops, bw * a))).ToArray());
        roof.LegendText = $"roof: {m.PeakTops:G3} TOPS peak, {m.DramGBytesPerSecond:G3} GB/s {c.Arch.DramType}";
        roof.MarkerSize = 0;
        var palette = new ScottPlot.Palettes.Category10();
        int i = 1;
        foreach (RooflinePoint p in m.Roofline)
        {
            double x = double.IsFinite(p.OpsPerByte) ? p.OpsPerByte : ai[^1];
            var s = plot.Add.Scatter(new[] { Math.Log10(x) }, new[] { Math.Log10(p.Tops) }, palette.GetColor(i++));
            s.MarkerSize = 12;
            s.LegendText = $"{p.Label}: {p.Tops:G3} TOPS at {(double.IsFinite(p.OpsPerByte) ? p.OpsPerByte.ToString("G3") : "∞ (no DRAM)")} op/B";
        }
        return LogLog(plot, $"Roofline — {c.Shape.Name} (ops: 2 per MAC incl. head and attention)",
            "arithmetic intensity (ops per DRAM byte, log)", "performance (TOPS, log)", Alignment.LowerRight);
    }

    /// <summary>Sweep Pareto: energy per token vs latency per token, colour = area, front highlighted.</summary>
    public static Plot Pareto(IReadOnlyList<SweepPoint> points, string model)
    {
        var plot = new Plot();
        var rest = points.Where(p => !p.Pareto).ToList();
        var front = points.Where(p => p.Pareto).OrderBy(p => p.LatencyPerTokenSeconds).ToList();
        var all = plot.Add.ScatterPoints(rest.Select(p => p.LatencyPerTokenSeconds * 1e3).ToArray(), rest.Select(p => p.EnergyPerTokenPj * 1e-6).ToArray());
        all.LegendText = $"dominated ({rest.Count})";
        all.MarkerSize = 4;
        var f = plot.Add.ScatterPoints(front.Select(p => p.LatencyPerTokenSeconds * 1e3).ToArray(), front.Select(p => p.EnergyPerTokenPj * 1e-6).ToArray());
        f.LegendText = $"Pareto front in (energy, latency, area) ({front.Count})";
        f.MarkerSize = 8;
        plot.Title($"Sweep — {model}: decode energy vs latency per token");
        plot.XLabel("latency per token (ms)");
        plot.YLabel("energy per token (µJ)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
