using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BitRom.Hardware.Cost;
using BitRom.Hardware.Tables;
using static BitRom.Reports.ReportText;

namespace BitRom.Reports;

/// <summary>Writes the data files of a report bundle (DESIGN.md §6): pure formatting of result records.</summary>
public static partial class ReportBundle
{
    /// <summary>Writes summary.json and the CSVs (no plots, no HTML); returns the files written.</summary>
    public static IReadOnlyList<string> WriteData(ReportInput input, string dir)
    {
        Directory.CreateDirectory(dir);
        var files = new List<string>();
        void Write(string name, string text)
        {
            string path = Path.Combine(dir, name);
            File.WriteAllText(path, text);
            files.Add(path);
        }
        Write("summary.json", Summary(input).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        Write("per_layer.csv", PerLayerCsv(input.Cost));
        Write("energy_breakdown.csv", EnergyCsv(input.Cost));
        Write("area_breakdown.csv", AreaCsv(input.Cost));
        Write("dram_traffic.csv", DramCsv(input));
        Write("constants.csv", ConstantsCsv(input.Cost));
        Write("baselines.csv", BaselinesCsv(input));
        if (input.Sweep.Count > 0) Write("sweep.csv", SweepCsv.Format(input.Sweep));
        return files;
    }

    private static string PerLayerCsv(ChipCost c)
    {
        var sb = new StringBuilder("layer,matrix,out,in,assignment,macros_in,macros_out,macros,cycles_per_token,utilization,ternary_ops_per_token,energy_pj_per_token,kv_edram_bytes_per_token,kv_dram_bytes_per_token\n");
        foreach (MatrixRow r in ReportData.PerLayer(c))
            sb.AppendLine(string.Join(',', r.Layer, r.Matrix, r.Out, r.In, r.Assignment, r.MacrosIn, r.MacrosOut, r.Macros, r.CyclesPerToken,
                Num(r.Utilization), Num(r.TernaryOpsPerToken), Num(r.EnergyPerTokenPj), Num(r.EdramKvBytesPerToken), Num(r.DramKvBytesPerToken)));
        return sb.ToString();
    }

    private static string EnergyCsv(ChipCost c)
    {
        var sb = new StringBuilder("phase,component,action,kind,count,pj_per_action,pj_total,pj_per_token,share_of_phase\n");
        foreach (PhaseCost p in new[] { c.Prefill, c.Decode })
        {
            double total = p.Energy.TotalPicoJoules;
            foreach (EnergyLine l in p.Energy.Lines.OrderBy(l => l.Component).ThenBy(l => l.Action))
                sb.AppendLine(string.Join(',', p.Phase, l.Component, l.Action, "dynamic", Num(l.Count), Num(l.PicoJoulesPerAction), Num(l.PicoJoules), Num(l.PicoJoules / p.Tokens), Num(l.PicoJoules / total)));
            foreach (var (comp, pj) in p.Energy.StaticPicoJoules.OrderBy(kv => kv.Key))
                sb.AppendLine(string.Join(',', p.Phase, comp, "leakage", "static", "", "", Num(pj), Num(pj / p.Tokens), Num(pj / total)));
        }
        return sb.ToString();
    }

    private static string AreaCsv(ChipCost c)
    {
        var sb = new StringBuilder("component,item,instances,um2_each,mm2,share,static_uw,derivation\n");
        double total = c.Area.TotalSquareMillimetres;
        foreach (AreaLine l in c.Area.Lines)
            sb.AppendLine(string.Join(',', l.Component, l.Item, Num(l.Instances), Num(l.SquareMicronsEach), Num(l.SquareMicrons * 1e-6), Num(l.SquareMicrons * 1e-6 / total), Num(l.StaticMicroWatts), Csv(l.Derivation)));
        return sb.ToString();
    }

    private static string DramCsv(ReportInput input)
    {
        ChipCost c = input.Cost;
        var sb = new StringBuilder("section,phase_or_context,category,bytes,bytes_per_token\n");
        foreach (PhaseCost p in new[] { c.Prefill, c.Decode })
            foreach (var (cat, bytes) in p.DramBytes)
                sb.AppendLine(string.Join(',', "request", p.Phase, cat, Num(bytes), Num(bytes / p.Tokens)));
        sb.AppendLine(string.Join(',', "request", "decode", "total_without_dr_edram", Num(c.DecodeDramBytesWithoutEdram), Num(c.DecodeDramBytesWithoutEdram / c.Decode.Tokens)));
        sb.AppendLine(string.Join(',', "request", "once", "lora_adapter_load", Num(c.LoraLoadBytes), ""));
        sb.AppendLine(string.Join(',', "request", "decode", "edram_kv", Num(c.Decode.Kv.EdramReadBytes + c.Decode.Kv.EdramWriteBytes), Num((c.Decode.Kv.EdramReadBytes + c.Decode.Kv.EdramWriteBytes) / c.Decode.Tokens)));
        foreach (ContextPoint p in input.Curve)
        {
            sb.AppendLine(string.Join(',', "context_curve", p.Context, "dram_with_dr_edram", "", Num(p.DramBytesWithEdram)));
            sb.AppendLine(string.Join(',', "context_curve", p.Context, "dram_without_dr_edram", "", Num(p.DramBytesWithoutEdram)));
        }
        return sb.ToString();
    }

    /// <summary>constants.csv: every technology row and every derived per-action energy, with source and kind.</summary>
    private static string ConstantsCsv(ChipCost c)
    {
        var sb = new StringBuilder("table,key,value,unit,kind,citation,locator\n");
        TechnologyTable t = c.Table.Technology;
        foreach (TechRow r in t.Rows)
            sb.AppendLine(string.Join(',', Csv(t.Name), Csv(r.Key), Num(r.Value), Csv(r.Unit), r.Source.KindName, Csv(r.Source.Citation), Csv(r.Source.Locator)));
        foreach (EnergyEntry e in c.Table.Entries)
            sb.AppendLine(string.Join(',', "energy_per_action", Csv($"{e.Component}.{e.Action}"), Num(e.PicoJoules), "pJ", e.Source.KindName, Csv(e.Source.Citation), Csv(e.Source.Locator)));
        sb.AppendLine(string.Join(',', "parameter", "calibration", Num(c.Table.Calibration), "x", c.Table.Calibration == 1 ? "derived" : "placeholder",
            "BitROM cost model", Csv("named calibration factor on on-chip dynamic energies (1 = none)")));
        if (t.ScalingRule.Length > 0)
            sb.AppendLine(string.Join(',', "parameter", "node_scaling_rule", "", "", "derived", "nodes.yaml", Csv(t.ScalingRule)));
        return sb.ToString();
    }

    private static string BaselinesCsv(ReportInput input)
    {
        var sb = new StringBuilder("design,source,kind,node,decode_pj_per_token,decode_tokens_per_s,area_mm2,macro_tops_per_w,system_tops_per_w,array_density_kB_per_mm2,decode_dram_bytes_per_token\n");
        foreach (ChipCost b in input.Baselines.Prepend(input.Cost))
            sb.AppendLine(string.Join(',', Csv(b.Arch.Name), "modelled", "model", $"{b.Arch.NodeNm} nm", Num(b.Decode.EnergyPerTokenPj), Num(b.Decode.TokensPerSecond), Num(b.Area.TotalSquareMillimetres),
                Num(b.Metrics.MacroTopsPerWatt), Num(b.Metrics.SystemTopsPerWatt), Num(b.Metrics.ArrayDensityKBPerMm2), Num(b.Decode.DramTotalBytes / b.Decode.Tokens)));
        foreach (PublishedDesign d in PublishedDesigns.All)
            sb.AppendLine(string.Join(',', Csv(d.Name), Csv(d.Source.Citation + ", " + d.Source.Locator), d.Kind, Csv(d.Node), "", "", Num(d.AreaMm2), "", Num(d.TopsPerWatt), Num(d.DensityKBPerMm2), ""));
        return sb.ToString();
    }
}
