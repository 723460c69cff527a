using System.CommandLine;
using System.Diagnostics;
using System.Text;
using BitRom.Hardware.Cost;
using BitRom.Hardware.Sweep;
using BitRom.Model.Architectures;
using BitRom.Reports;
using Spectre.Console;

namespace BitRom.Cli.Commands;

/// <summary><c>bitrom report</c>: the cost report bundle (DESIGN.md §6) for a model file or a named architecture (or all of them).</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var arch = new Option<string?>("--arch") { Description = "Named architecture (e.g. bitnet-b1.58-2b-4t, falcon3-10b-1.58bit) or 'all' for a comparison of every named one." };
        var zeroFraction = new Option<double>("--zero-fraction") { Description = "Expected zero-trit fraction for --arch (a --model file's own fraction is measured).", DefaultValueFactory = _ => ModelShapes.DefaultZeroFraction };
        var prompt = new Option<int>("--prompt-len") { Description = "Prompt tokens.", DefaultValueFactory = _ => 128 };
        var gen = new Option<int>("--gen-len") { Description = "Generated tokens.", DefaultValueFactory = _ => 128 };
        var chip = new Option<string?>("--chip") { Description = "Chip config YAML (chip: parameters, technology: overrides, calibration:)." };
        var outDir = new Option<string>("--out") { Description = "Output directory.", Required = true };
        var noPlots = new Option<bool>("--no-plots") { Description = "Skip PNG/SVG plots (data files and HTML only)." };
        var json = CommonOptions.Json();
        var cmd = new Command("report", "Write the cost report bundle: summary.json, CSVs, constants with sources, plots and report.html.")
        {
            model, arch, zeroFraction, prompt, gen, chip, outDir, noPlots, json,
        };
        cmd.SetAction(parse => CliApp.Run(() =>
        {
            string? m = parse.GetValue(model), a = parse.GetValue(arch);
            if ((m is null) == (a is null)) throw new ArgumentException("give exactly one of --model or --arch");
            string? chipPath = parse.GetValue(chip);
            CostConfig config = CostConfig.Load(chipPath);
            var w = new Workload(parse.GetValue(prompt), parse.GetValue(gen)).Validate();
            string dir = parse.GetValue(outDir)!;
            bool plots = !parse.GetValue(noPlots);

            var shapes = new List<ModelShape>();
            if (m is not null)
            {
                using ModelHandle h = ModelSource.Open(m, null, 1, ModelShapes.DefaultZeroFraction);
                shapes.Add(ModelShapes.From(h.Config, ModelShapes.MeasuredZeroFraction(h.Weights)));
            }
            else if (string.Equals(a, "all", StringComparison.OrdinalIgnoreCase))
                shapes.AddRange(ModelShapes.Named.Select(c => ModelShapes.From(c, parse.GetValue(zeroFraction))));
            else
                shapes.Add(ModelShapes.From(Presets.Get(a!), parse.GetValue(zeroFraction)));

            var results = new List<(ReportInput Input, ReportBundle.Written Written, TimeSpan Compute)>();
            foreach (ModelShape s in shapes)
            {
                string sub = shapes.Count == 1 ? dir : Path.Combine(dir, s.Name);
                var sw = Stopwatch.StartNew();
                ReportInput input = ReportInput.Build(s, config, w);
                TimeSpan compute = sw.Elapsed;
                ReportBundle.Written written = CliApp.WithStatus($"writing report for {s.Name}", () => ReportBundle.WriteAll(input, sub, plots));
                results.Add((input, written, compute));
            }
            if (shapes.Count > 1)
            {
                List<ChipCost> costs = [.. results.Select(r => r.Input.Cost)];
                File.WriteAllText(Path.Combine(dir, "comparison.csv"), Comparison.Csv(costs));
                File.WriteAllText(Path.Combine(dir, "index.html"), Comparison.Html(costs));
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumn("model").AddColumn(new TableColumn("µJ/token (decode)").RightAligned())
                .AddColumn(new TableColumn("tokens/s").RightAligned()).AddColumn(new TableColumn("area mm²").RightAligned())
                .AddColumn(new TableColumn("macro TOPS/W").RightAligned()).AddColumn(new TableColumn("system TOPS/W").RightAligned())
                .AddColumn(new TableColumn("DRAM vs no eDRAM").RightAligned()).AddColumn(new TableColumn("compute ms").RightAligned()).AddColumn(new TableColumn("files+plots ms").RightAligned());
            foreach (var (input, written, compute) in results)
            {
                ChipCost c = input.Cost;
                table.AddRow(Markup.Escape(c.Shape.Name), $"{c.Decode.EnergyPerTokenPj * 1e-6:F2}", $"{c.Decode.TokensPerSecond:F1}", $"{c.Area.TotalSquareMillimetres:N0}",
                    $"{c.Metrics.MacroTopsPerWatt:F2}", $"{c.Metrics.SystemTopsPerWatt:F3}", $"{c.Metrics.DecodeDramChange:P1}",
                    $"{compute.TotalMilliseconds:F0}", $"{(written.DataTime + written.PlotTime).TotalMilliseconds:F0}");
            }
            AnsiConsole.Write(table);
            var placeholders = ReportBundle.Placeholders(results[0].Input.Cost);
            AnsiConsole.MarkupLine(Markup.Escape($"{placeholders.Count} placeholder constants (see constants.csv / report.html): {string.Join(", ", placeholders)}"));
            AnsiConsole.MarkupLine(Markup.Escape($"wrote {Path.GetFullPath(dir)}"));
            if (parse.GetValue(json) is string jp)
                CliApp.WriteJson(jp, ReportBundle.Summary(results[0].Input));
            return 0;
        }));
        return cmd;
    }
}
