using System.Text;
using BitRom.Hardware.Sweep;
using static BitRom.Reports.ReportText;

namespace BitRom.Reports;

/// <summary>The results CSV of a sweep: one row per point, parameters first.</summary>
public static class SweepCsv
{
    /// <summary>Formats <paramref name="points"/> (all points share parameter names).</summary>
    public static string Format(IReadOnlyList<SweepPoint> points)
    {
        var names = points.Count > 0 ? points[0].Values.Keys.ToList() : [];
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(',', names.Prepend("index").Concat(["energy_pj_per_token", "latency_s_per_token", "area_mm2", "macro_tops_per_w", "system_tops_per_w", "tokens_per_s", "dram_bytes_per_token", "decode_refresh_holds", "pareto"])));
        foreach (SweepPoint p in points)
            sb.AppendLine(string.Join(',', names.Select(n => Csv(p.Values[n])).Prepend(p.Index.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Concat([Num(p.EnergyPerTokenPj), Num(p.LatencyPerTokenSeconds), Num(p.AreaMm2), Num(p.MacroTopsPerWatt), Num(p.SystemTopsPerWatt), Num(p.TokensPerSecond),
                    Num(p.DramBytesPerToken), p.DecodeRefreshHolds ? "true" : "false", p.Pareto ? "true" : "false"])));
        return sb.ToString();
    }
}
