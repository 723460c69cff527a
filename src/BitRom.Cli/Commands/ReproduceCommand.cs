using System.CommandLine;
using System.Text.Json.Nodes;
using BitRom.Hardware.Cost;
using BitRom.Reports;
using Spectre.Console;

namespace BitRom.Cli.Commands;

/// <summary><c>bitrom reproduce</c>: the paper's headline numbers beside ours (DESIGN.md §5.9).</summary>
internal static class ReproduceCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var cmd = new Command("reproduce", "Print the BitROM paper's headline numbers beside the cost model's, with ratio and explanation.") { json };
        cmd.SetAction(parse => CliApp.Run(() =>
        {
            PaperScenario scenario = ModelShapes.PaperScenario();
            IReadOnlyList<PaperRow> rows = PaperReproduction.Evaluate(scenario);
            var table = new Table().Border(TableBorder.Rounded).Title("BitROM (arXiv 2509.08542) vs this cost model, 65 nm")
                .AddColumn("#").AddColumn("claim").AddColumn(new TableColumn("paper").RightAligned()).AddColumn(new TableColumn("ours").RightAligned())
                .AddColumn(new TableColumn("ours/paper").RightAligned()).AddColumn("tolerance");
            for (int i = 0; i < rows.Count; i++)
            {
                PaperRow r = rows[i];
                table.AddRow($"{i + 1}", Markup.Escape(r.Claim), Markup.Escape(r.PaperText), Markup.Escape(ReportText.Value(r.Ours, r.Unit)), $"{r.Ratio:F2}",
                    (r.WithinTolerance ? "ok " : "[red]OUT[/] ") + $"[[{r.ToleranceLow}, {r.ToleranceHigh}]]");
            }
            AnsiConsole.Write(table);
            for (int i = 0; i < rows.Count; i++) AnsiConsole.MarkupLine($"[bold]{i + 1}.[/] " + Markup.Escape(rows[i].Explanation));
            AnsiConsole.MarkupLine(Markup.Escape("Conventions: " + ChipCost.Conventions));
            CliApp.WriteJson(parse.GetValue(json), ReportJson.Reproduction(rows));
            return 0;
        }));
        return cmd;
    }
}
