using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using BitRom.Hardware.Sweep;
using BitRom.Model.Architectures;
using BitRom.Reports;
using Spectre.Console;

namespace BitRom.Cli.Commands;

/// <summary><c>bitrom sweep</c>: design-space exploration on the analytic cost model; results CSV and Pareto plots.</summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var spec = new Option<string>("--spec") { Description = "Sweep spec YAML (see examples/sweep-edge.yaml).", Required = true };
        var outDir = new Option<string>("--out") { Description = "Output directory.", Required = true };
        var chip = new Option<string?>("--chip") { Description = "Base chip config YAML (defaults for parameters the spec does not sweep)." };
        var zeroFraction = new Option<double>("--zero-fraction") { Description = "Expected zero-trit fraction.", DefaultValueFactory = _ => ModelShapes.DefaultZeroFraction };
        var json = CommonOptions.Json();
        var cmd = new Command("sweep", "Sweep chip parameters (grid or random) and write results CSV and Pareto plots.") { spec, outDir, chip, zeroFraction, json };
        cmd.SetAction(parse => CliApp.Run(() =>
        {
            string specPath = parse.GetValue(spec)!, dir = parse.GetValue(outDir)!;
            SweepSpec s = SweepSpec.Parse(File.ReadAllText(specPath), specPath);
            string? chipPath = parse.GetValue(chip);
            CostConfig config = CostConfig.Load(chipPath);
            var shape = ModelShapes.From(Presets.Get(s.Model), parse.GetValue(zeroFraction));
            var sw = Stopwatch.StartNew();
            IReadOnlyList<SweepPoint> points = Console.IsErrorRedirected
                ? SweepRunner.Run(s, shape, config)
                : CliApp.Status.Progress().Start(ctx =>
                {
                    var task = ctx.AddTask($"sweep {s.PointCount:N0} points", maxValue: s.PointCount);
                    return SweepRunner.Run(s, shape, config, new Progress<int>(n => task.Value = n));
                });
            double seconds = sw.Elapsed.TotalSeconds;
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "sweep.csv"), SweepCsv.Format(points));
            var plots = SweepPlots.Write(points, s.Model, dir);

            var front = points.Where(p => p.Pareto).OrderBy(p => p.EnergyPerTokenPj).ToList();
            var table = new Table().Border(TableBorder.Rounded).Title($"Pareto front ({front.Count} of {points.Count:N0} points; {seconds:F2} s)")
                .AddColumn("#").AddColumn(new TableColumn("µJ/token").RightAligned()).AddColumn(new TableColumn("ms/token").RightAligned())
                .AddColumn(new TableColumn("mm²").RightAligned()).AddColumn("parameters");
            foreach (SweepPoint p in front.Take(15))
                table.AddRow($"{p.Index}", $"{p.EnergyPerTokenPj * 1e-6:F2}", $"{p.LatencyPerTokenSeconds * 1e3:F3}", $"{p.AreaMm2:N0}",
                    Markup.Escape(string.Join(" ", p.Values.Select(kv => $"{kv.Key}={kv.Value}"))));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(Markup.Escape($"{points.Count:N0} points evaluated in {seconds:F2} s; wrote sweep.csv and {string.Join(", ", plots)} (PNG + SVG) to {Path.GetFullPath(dir)}"));
            CliApp.WriteJson(parse.GetValue(json), new JsonObject
            {
                ["spec"] = specPath, ["model"] = s.Model, ["points"] = points.Count, ["seconds"] = seconds, ["pareto"] = front.Count,
                ["results_csv"] = Path.Combine(dir, "sweep.csv"),
            });
            return 0;
        }));
        return cmd;
    }
}
