using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BitRom.Hardware.Components;
using BitRom.Hardware.Mapping;
using BitRom.Hardware.Simulation;
using BitRom.Model.Inference;
using Spectre.Console;

namespace BitRom.Cli.Commands;

/// <summary>
/// <c>bitrom analyze weights|partial-sums</c>: the paper authors' two analyses (PAPER-NOTES §4) — sparsity and
/// same-sign runs per matrix, and activation / partial-sum ranges with the TriMLA widths they need.
/// </summary>
internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var cmd = new Command("analyze", "The authors' weight and partial-sum analyses.");
        cmd.Subcommands.Add(Weights());
        cmd.Subcommands.Add(PartialSums());
        return cmd;
    }

    private static Command Weights()
    {
        var (models, json) = (new ModelCliOptions(), CommonOptions.Json());
        var cmd = new Command("weights", "Per matrix: zero fraction and the longest run of identical non-zero trits (analyze_weight.py).")
        {
            json,
        };
        models.AddTo(cmd);
        cmd.SetAction(parse => CliApp.Run(() =>
        {
            using ModelHandle h = models.Open(parse);
            WeightStats[] stats = CliApp.WithStatus("analyzing weights", () =>
                h.Weights.TernaryMatrices.AsParallel().AsOrdered().Select(WeightStats.Of).ToArray());
            var table = new Table().Border(TableBorder.Rounded).Title($"weights of {Markup.Escape(h.Source)}").AddColumn("matrix").AddColumn("shape")
                .AddColumn(new TableColumn("zero").RightAligned()).AddColumn(new TableColumn("+1").RightAligned())
                .AddColumn(new TableColumn("longest run (flat)").RightAligned()).AddColumn(new TableColumn("longest run (row)").RightAligned());
            foreach (WeightStats s in stats)
                table.AddRow(Markup.Escape(s.Name), $"{s.Rows} x {s.Cols}", s.ZeroFraction.ToString("P2"), s.PlusFraction.ToString("P2"),
                    s.LongestRun.ToString(), s.LongestRunInRow.ToString());
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine("longest run (flat): identical non-zero trits in the row-major [out, in] flattening, as analyze_weight.py; (row): within one row.");
            var opts = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
            CliApp.WriteJson(parse.GetValue(json), new JsonObject { ["model"] = h.Source, ["matrices"] = JsonSerializer.SerializeToNode(stats, opts) });
            return 0;
        }));
        return cmd;
    }

    private static Command PartialSums()
    {
        var (models, json) = (new ModelCliOptions(), CommonOptions.Json());
        var chip = CompileCommand.ChipOption();
        var prompt = new Option<string>("--prompt", "-p") { Description = "Prompt text run through the model.", DefaultValueFactory = _ => "In the beginning" };
        var cmd = new Command("partial-sums", "Per layer and matrix: int8 activation range, running partial-sum range, smallest overflow-free TriMLA widths.")
        {
            chip, prompt, json,
        };
        models.AddTo(cmd);
        cmd.SetAction(parse => CliApp.Run(() =>
        {
            ChipConfig config = CompileCommand.LoadChip(parse.GetValue(chip));
            using ModelHandle h = models.Open(parse);
            var probe = new PartialSumProbe(Backends.Create("engine", Environment.ProcessorCount), config);
            var transformer = new Transformer(h.Config, h.Weights, probe);
            int[] tokens = [.. h.Tokenizer.Encode(parse.GetValue(prompt)!, addBos: true)];
            CliApp.WithStatus($"running {tokens.Length} prompt tokens", () => transformer.Forward(tokens, 0).Length);

            var table = new Table().Border(TableBorder.Rounded).Title($"partial sums of {Markup.Escape(h.Source)}, {tokens.Length} tokens")
                .AddColumn("layer").AddColumn("matrix").AddColumn(new TableColumn("q min..max").RightAligned())
                .AddColumn(new TableColumn("running sum min..max").RightAligned()).AddColumn(new TableColumn("local min..max").RightAligned())
                .AddColumn(new TableColumn("local bits").RightAligned()).AddColumn(new TableColumn("global bits").RightAligned());
            var rows = new JsonArray();
            foreach (IGrouping<int, PartialSumRanges> layer in probe.Ranges.GroupBy(r => MatrixShape.LayerOf(r.Name)))
            {
                foreach (PartialSumRanges r in layer)
                {
                    table.AddRow(layer.Key.ToString(), Markup.Escape(ShortName(r.Name)), Span(r.Activation), Span(r.Running), Span(r.Local),
                        r.Local.BitsNeeded.ToString(), r.Global.BitsNeeded.ToString());
                    rows.Add(new JsonObject
                    {
                        ["layer"] = layer.Key, ["matrix"] = r.Name,
                        ["activation_min"] = r.Activation.Min, ["activation_max"] = r.Activation.Max,
                        ["running_min"] = r.Running.Min, ["running_max"] = r.Running.Max,
                        ["local_min"] = r.Local.Min, ["local_max"] = r.Local.Max,
                        ["global_min"] = r.Global.Min, ["global_max"] = r.Global.Max,
                        ["local_bits_needed"] = r.Local.BitsNeeded, ["global_bits_needed"] = r.Global.BitsNeeded,
                        ["running_bits_needed"] = r.Running.BitsNeeded,
                    });
                }
                int local = layer.Max(r => r.Local.BitsNeeded), global = layer.Max(r => r.Global.BitsNeeded);
                table.AddRow($"[bold]{layer.Key}[/]", "[bold]layer max[/]", "", "", "", $"[bold]{local}[/]", $"[bold]{global}[/]");
            }
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"TriMLA: groups of {config.GroupRows} word lines, configured widths local {config.LocalBits} / global {config.GlobalBits} bits; "
                + "'bits' = smallest signed width holding every observed value on these activations.");
            CliApp.WriteJson(parse.GetValue(json), new JsonObject
            {
                ["model"] = h.Source, ["prompt_tokens"] = tokens.Length, ["group_rows"] = config.GroupRows,
                ["local_bits"] = config.LocalBits, ["global_bits"] = config.GlobalBits, ["matrices"] = rows,
            });
            return 0;
        }));
        return cmd;
    }

    private static string Span(SumRange r) => r.Any ? string.Create(CultureInfo.InvariantCulture, $"{r.Min}..{r.Max}") : "-";

    private static string ShortName(string name)
    {
        int layer = MatrixShape.LayerOf(name);
        string prefix = $"blk.{layer}.";
        return layer >= 0 && name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
    }
}
