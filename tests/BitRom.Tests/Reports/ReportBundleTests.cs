using System.Text.Json.Nodes;
using BitRom.Hardware.Cost;
using BitRom.Hardware.Sweep;
using BitRom.Model.Architectures;
using BitRom.Reports;
using Xunit;

namespace BitRom.Tests.Reports;

/// <summary>The report bundle: every file of DESIGN.md §6, sources on every constant, placeholders flagged, plots real images.</summary>
public sealed class ReportBundleTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "bitrom-report-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static ReportInput Input() => ReportInput.Build(ModelShapes.From(Presets.TinyFalcon3), CostConfig.Default, new Workload(16, 16));

    [Fact]
    public void WriteAll_WritesEveryFileOfTheBundle_WithRealPlots()
    {
        ReportBundle.Written w = ReportBundle.WriteAll(Input(), _dir);
        foreach (string f in new[] { "summary.json", "per_layer.csv", "energy_breakdown.csv", "area_breakdown.csv", "dram_traffic.csv", "constants.csv", "report.html", "sweep.csv", "baselines.csv" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), f);
        foreach (string plot in new[] { "energy_breakdown", "area_breakdown", "dram_vs_context", "roofline", "sweep_pareto" })
        {
            byte[] png = File.ReadAllBytes(Path.Combine(_dir, plot + ".png"));
            Assert.True(png.Length > 5000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', plot);
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(_dir, plot + ".svg")));
        }
        Assert.Contains(w.Files, f => f.EndsWith("report.html"));
    }

    [Fact]
    public void ConstantsCsv_EveryRowHasKindCitationAndLocator()
    {
        ReportBundle.WriteData(Input(), _dir);
        var lines = File.ReadAllLines(Path.Combine(_dir, "constants.csv"));
        Assert.Equal("table,key,value,unit,kind,citation,locator", lines[0]);
        Assert.True(lines.Length > 60);
        foreach (string line in lines.Skip(1))
        {
            var cells = CsvCells(line);
            Assert.Equal(7, cells.Count);
            Assert.Contains(cells[4], new[] { "measured", "paper-reported", "derived", "placeholder" });
            Assert.False(string.IsNullOrWhiteSpace(cells[5]), line);
            Assert.False(string.IsNullOrWhiteSpace(cells[6]), line);
        }
        Assert.Contains(lines, l => l.StartsWith("energy_per_action,biroma.sense_neg,", StringComparison.Ordinal) && l.Contains("C_BL"));
    }

    [Fact]
    public void Summary_IsVersioned_AndCarriesTheFullConfig()
    {
        ReportInput input = Input();
        JsonObject s = ReportBundle.Summary(input);
        Assert.Equal(ReportInput.Version, (int)s["version"]!);
        Assert.Equal(2048, (int)s["config"]!["chip"]!["rows"]!);
        Assert.Equal("tiny-falcon3", (string)s["model"]!["name"]!);
        Assert.True((double)s["headline"]!["macro_tops_per_w"]! > 0);
        Assert.NotEmpty(s["placeholders"]!.AsArray());
    }

    [Fact]
    public void Html_FlagsPlaceholders_AndLinksPlots()
    {
        ReportInput input = Input();
        string html = HtmlReport.Render(input, ["energy_breakdown"]);
        Assert.Contains("Placeholders (", html);
        Assert.Contains("tech.m1_pitch", html);
        Assert.Contains("src=\"energy_breakdown.png\"", html);
        Assert.Contains("kb/mm", html);
    }

    [Fact]
    public void EnergyCsv_SplitsStaticFromDynamic_AndSharesSumToOne()
    {
        ReportBundle.WriteData(Input(), _dir);
        var rows = File.ReadAllLines(Path.Combine(_dir, "energy_breakdown.csv")).Skip(1).Select(CsvCells).Where(c => c[0] == "decode").ToList();
        Assert.Contains(rows, r => r[3] == "static");
        Assert.Contains(rows, r => r[3] == "dynamic");
        Assert.Equal(1.0, rows.Sum(r => double.Parse(r[8], System.Globalization.CultureInfo.InvariantCulture)), 9);
    }

    internal static List<string> CsvCells(string line)
    {
        var cells = new List<string>();
        var cur = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { cur.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else cur.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { cells.Add(cur.ToString()); cur.Clear(); }
            else cur.Append(ch);
        }
        cells.Add(cur.ToString());
        return cells;
    }
}
