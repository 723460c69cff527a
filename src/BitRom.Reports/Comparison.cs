using System.Net;
using System.Text;
using BitRom.Hardware.Cost;
using static BitRom.Reports.ReportText;

namespace BitRom.Reports;

/// <summary>The comparison table of <c>report --arch all</c>: one row per model on the same chip.</summary>
public static class Comparison
{
    private static readonly string[] Header = ["model", "ternary_weights", "macros", "area_mm2", "decode_uj_per_token", "decode_tokens_per_s", "prefill_tokens_per_s",
        "macro_tops_per_w", "system_tops_per_w", "tops_per_mm2", "decode_dram_kib_per_token", "decode_dram_change", "static_share", "decode_refresh_holds"];

    private static IEnumerable<string> Cells(ChipCost c) =>
    [
        c.Shape.Name, Num(c.Shape.TernaryWeights), Num(c.Area.Macros), Num(c.Area.TotalSquareMillimetres), Num(c.Decode.EnergyPerTokenPj * 1e-6),
        Num(c.Decode.TokensPerSecond), Num(c.Prefill.TokensPerSecond), Num(c.Metrics.MacroTopsPerWatt), Num(c.Metrics.SystemTopsPerWatt), Num(c.Metrics.TopsPerMm2),
        Num(c.Decode.DramTotalBytes / c.Decode.Tokens / 1024), Num(c.Metrics.DecodeDramChange), Num(c.Metrics.DecodeStaticShare), c.Refresh.DecodeRefreshHolds ? "true" : "false",
    ];

    /// <summary>comparison.csv.</summary>
    public static string Csv(IReadOnlyList<ChipCost> costs)
    {
        var sb = new StringBuilder(string.Join(',', Header) + "\n");
        foreach (ChipCost c in costs) sb.AppendLine(string.Join(',', Cells(c).Select(ReportText.Csv)));
        return sb.ToString();
    }

    /// <summary>index.html linking every model's report.</summary>
    public static string Html(IReadOnlyList<ChipCost> costs)
    {
        var sb = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>BitROM cost comparison</title>"
            + "<style>body{font-family:DejaVu Sans,Arial,sans-serif;margin:24px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}th{background:#eef}td{text-align:right}td:first-child{text-align:left;white-space:nowrap}</style></head><body>");
        sb.Append($"<h1>BitROM cost comparison ({WebUtility.HtmlEncode(costs[0].Arch.Name)}, {costs[0].Arch.NodeNm} nm, prompt {costs[0].Workload.PromptLen}, gen {costs[0].Workload.GenLen})</h1><table><tr>");
        foreach (string h in Header) sb.Append($"<th>{h}</th>");
        sb.Append("</tr>");
        foreach (ChipCost c in costs)
        {
            var cells = Cells(c).ToList();
            sb.Append($"<tr><td><a href=\"{WebUtility.HtmlEncode(c.Shape.Name)}/report.html\">{WebUtility.HtmlEncode(cells[0])}</a></td>");
            foreach (string cell in cells.Skip(1)) sb.Append($"<td>{WebUtility.HtmlEncode(double.TryParse(cell, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double d) ? d.ToString("G4", System.Globalization.CultureInfo.InvariantCulture) : cell)}</td>");
            sb.Append("</tr>");
        }
        sb.Append($"</table><p>{WebUtility.HtmlEncode(ChipCost.Conventions)}</p></body></html>\n");
        return sb.ToString();
    }
}
