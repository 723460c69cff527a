using BitRom.Hardware.Sweep;
using ScottPlot;

namespace BitRom.Reports;

/// <summary>Pareto plots of a sweep: energy vs latency, energy vs area, latency vs area (front highlighted).</summary>
public static class SweepPlots
{
    /// <summary>Writes the three projections as PNG and SVG; returns their base names.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<SweepPoint> points, string model, string dir)
    {
        var names = new List<string>();
        void Save(Plot p, string name)
        {
            p.SavePng(Path.Combine(dir, name + ".png"), 900, 520);
            p.SaveSvg(Path.Combine(dir, name + ".svg"), 900, 520);
            names.Add(name);
        }
        Save(ReportPlots.Pareto(points, model), "pareto_energy_latency");
        Save(Projection(points, model, p => p.AreaMm2, "area (mm²)", p => p.EnergyPerTokenPj * 1e-6, "energy per token (µJ)"), "pareto_energy_area");
        Save(Projection(points, model, p => p.AreaMm2, "area (mm²)", p => p.LatencyPerTokenSeconds * 1e3, "latency per token (ms)"), "pareto_latency_area");
        return names;
    }

    private static Plot Projection(IReadOnlyList<SweepPoint> points, string model, Func<SweepPoint, double> x, string xLabel, Func<SweepPoint, double> y, string yLabel)
    {
        var plot = new Plot();
        var rest = points.Where(p => !p.Pareto).ToList();
        var front = points.Where(p => p.Pareto).ToList();
        var a = plot.Add.ScatterPoints(rest.Select(x).ToArray(), rest.Select(y).ToArray());
        a.MarkerSize = 3;
        a.LegendText = $"dominated ({rest.Count})";
        var f = plot.Add.ScatterPoints(front.Select(x).ToArray(), front.Select(y).ToArray());
        f.MarkerSize = 7;
        f.LegendText = $"Pareto front in (energy, latency, area) ({front.Count})";
        plot.Title($"Sweep — {model}: {yLabel} vs {xLabel}");
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
