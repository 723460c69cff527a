using System.Net;
using System.Text;
using BitRom.Hardware.Cost;
using BitRom.Hardware.Tables;
using static BitRom.Reports.ReportText;

namespace BitRom.Reports;

/// <summary>report.html: one self-describing page tying the bundle together (tables inline, plots as linked images).</summary>
public static class HtmlReport
{
    private const string Style = "body{font-family:DejaVu Sans,Arial,sans-serif;margin:24px;max-width:1200px;color:#222}"
        + "table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}th{background:#eef}"
        + "td.n{text-align:right}.ph{background:#fff3cd}img{max-width:100%;border:1px solid #ddd;margin:6px 0}h2{border-bottom:2px solid #99c;margin-top:32px}"
        + ".note{color:#555;font-size:13px}";

    /// <summary>Writes <c>report.html</c> into <paramref name="dir"/> referencing the plots named in <paramref name="plots"/>.</summary>
    public static string Write(ReportInput input, string dir, IReadOnlyList<string> plots)
    {
        string path = Path.Combine(dir, "report.html");
        File.WriteAllText(path, Render(input, plots));
        return path;
    }

    /// <summary>The page text.</summary>
    public static string Render(ReportInput input, IReadOnlyList<string> plots)
    {
        ChipCost c = input.Cost;
        ChipMetrics m = c.Metrics;
        var sb = new StringBuilder();
        sb.Append($"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>BitROM cost report — {E(c.Shape.Name)}</title><style>{Style}</style></head><body>");
        sb.Append($"<h1>BitROM cost report: {E(c.Shape.Name)} on {E(c.Arch.Name)} ({c.Arch.NodeNm} nm)</h1>");
        sb.Append($"<p class=\"note\">Request: prompt {c.Workload.PromptLen}, generation {c.Workload.GenLen}, batch 1. Chip config: {E(input.ChipSource)}. "
            + $"Technology: {E(c.Table.Technology.Name)}; calibration factor {c.Table.Calibration} (1 = none). Conventions: {E(ChipCost.Conventions)}.</p>");

        sb.Append("<h2>Headline</h2><table><tr><th>metric</th><th>value</th></tr>");
        Row(sb, "macro-level energy efficiency (BiROMA + TriMLA)", $"{m.MacroTopsPerWatt:F2} TOPS/W ({m.MacroEffectiveTopsPerWatt:F2} effective, non-zero MACs)");
        Row(sb, "system-level energy efficiency (incl. static, DRAM, head, attention)", $"{m.SystemTopsPerWatt:F3} TOPS/W");
        Row(sb, "decode energy per token", $"{c.Decode.EnergyPerTokenPj * 1e-6:F2} µJ (static share {m.DecodeStaticShare:P1})");
        Row(sb, "prefill energy per token", $"{c.Prefill.EnergyPerTokenPj * 1e-6:F2} µJ");
        Row(sb, "decode latency per token / tokens per s", $"{c.Decode.LatencyPerTokenSeconds * 1e3:F3} ms / {c.Decode.TokensPerSecond:F1}");
        Row(sb, "prefill tokens per s", $"{c.Prefill.TokensPerSecond:F1}");
        Row(sb, "area / macros", $"{c.Area.TotalSquareMillimetres:N1} mm² / {c.Area.Macros:N0}");
        Row(sb, "throughput density", $"{m.TopsPerMm2:G3} TOPS/mm²");
        Row(sb, "array density (2 b/trit)", $"{m.ArrayDensityKBPerMm2:N0} kB/mm² = {m.ArrayDensityKbPerMm2:N0} kb/mm²; {m.ArrayDensityInfoKBPerMm2:N0} kB/mm² at 1.585 b/trit");
        Row(sb, "macro / chip density", $"{m.MacroDensityKBPerMm2:N0} / {m.ChipDensityKBPerMm2:N0} kB/mm²");
        Row(sb, "decode DRAM traffic vs no DR eDRAM", $"{m.DecodeDramChange:P1} ({c.Decode.DramTotalBytes / c.Decode.Tokens / 1024:N1} vs {c.DecodeDramBytesWithoutEdram / c.Decode.Tokens / 1024:N1} KiB/token)");
        Row(sb, "DR eDRAM decode refresh", c.Refresh.DecodeRefreshHolds
            ? $"holds: token period {c.Refresh.TokenPeriodSeconds * 1e3:F3} ms < t_ret {c.Refresh.TRetSeconds * 1e3:G3} ms; {c.Refresh.RefreshBitsAvoided:G3} refresh bits avoided"
            : $"FAILS: token period {c.Refresh.TokenPeriodSeconds * 1e3:F3} ms ≥ t_ret {c.Refresh.TRetSeconds * 1e3:G3} ms; {c.Refresh.RefreshBitsIssued:G3} refresh bits issued");
        sb.Append("</table>");

        var placeholders = ReportBundle.Placeholders(c);
        sb.Append($"<h2>Placeholders ({placeholders.Count})</h2><p class=\"ph\">These constants are stand-ins, not measured or published values: {E(string.Join(", ", placeholders))}. "
            + "See constants.csv for each one's reasoning.</p>");

        foreach (string name in plots)
            sb.Append($"<h2>{E(name.Replace('_', ' '))}</h2><a href=\"{name}.svg\"><img src=\"{name}.png\" alt=\"{E(name)}\"></a>");

        sb.Append("<h2>Energy per decode token by component</h2><table><tr><th>component</th><th>dynamic µJ</th><th>static µJ</th><th>share</th></tr>");
        double total = c.Decode.Energy.TotalPicoJoules;
        foreach (var (comp, dyn, stat) in c.Decode.Energy.ByComponent().OrderByDescending(x => x.Dynamic + x.Static))
            sb.Append($"<tr><td>{E(comp)}</td><td class=n>{dyn / c.Decode.Tokens * 1e-6:F3}</td><td class=n>{stat / c.Decode.Tokens * 1e-6:F3}</td><td class=n>{(dyn + stat) / total:P1}</td></tr>");
        sb.Append("</table>");

        sb.Append("<h2>Area by item</h2><table><tr><th>component</th><th>item</th><th>instances</th><th>mm²</th><th>static µW</th><th>how</th></tr>");
        foreach (AreaLine l in c.Area.Lines)
            sb.Append($"<tr><td>{E(l.Component)}</td><td>{E(l.Item)}</td><td class=n>{l.Instances:G4}</td><td class=n>{l.SquareMicrons * 1e-6:F3}</td><td class=n>{l.StaticMicroWatts:G3}</td><td>{E(l.Derivation)}</td></tr>");
        sb.Append("</table>");

        sb.Append("<h2>Baselines (same machinery) and published designs (cited rows)</h2><table><tr><th>design</th><th>kind</th><th>decode µJ/token</th><th>tokens/s</th><th>area mm²</th><th>macro TOPS/W</th><th>system TOPS/W</th><th>array kB/mm²</th><th>DRAM KiB/token</th></tr>");
        foreach (ChipCost b in input.Baselines.Prepend(c))
            sb.Append($"<tr><td>{E(b.Arch.Name)}</td><td>model</td><td class=n>{b.Decode.EnergyPerTokenPj * 1e-6:F2}</td><td class=n>{b.Decode.TokensPerSecond:F1}</td><td class=n>{b.Area.TotalSquareMillimetres:N1}</td>"
                + $"<td class=n>{b.Metrics.MacroTopsPerWatt:F2}</td><td class=n>{b.Metrics.SystemTopsPerWatt:F3}</td><td class=n>{b.Metrics.ArrayDensityKBPerMm2:N0}</td><td class=n>{b.Decode.DramTotalBytes / b.Decode.Tokens / 1024:N1}</td></tr>");
        foreach (PublishedDesign d in PublishedDesigns.All)
            sb.Append($"<tr><td>{E(d.Name)}</td><td>{E(d.Kind)} {E(d.Node)}</td><td colspan=3>{E(d.Notes)}</td><td></td><td class=n>{Opt(d.TopsPerWatt)}</td><td class=n>{Opt(d.DensityKBPerMm2)}</td><td>{E(d.Source.Citation)}</td></tr>");
        sb.Append("</table><p class=\"note\">Published rows mix macro-level and system-level figures and Si/Sim/FPGA; compare like with like.</p>");

        sb.Append("<h2>Files</h2><p>summary.json, per_layer.csv, energy_breakdown.csv, area_breakdown.csv, dram_traffic.csv, constants.csv (every constant with value, unit, kind, citation, locator), baselines.csv"
            + (input.Sweep.Count > 0 ? ", sweep.csv" : "") + "; plots as PNG and SVG.</p></body></html>\n");
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string k, string v) => sb.Append($"<tr><td>{E(k)}</td><td>{E(v)}</td></tr>");

    private static string Opt(double v) => double.IsFinite(v) ? v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture) : "";

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
