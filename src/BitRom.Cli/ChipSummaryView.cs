using System.Text.Json;
using System.Text.Json.Nodes;
using BitRom.Hardware.Simulation;
using Spectre.Console;

namespace BitRom.Cli;

/// <summary>Prints a <see cref="ChipSummary"/> (the chip part of <c>bitrom run</c>).</summary>
internal static class ChipSummaryView
{
    public static void Write(ChipSummary s)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"chip ({s.Backend})").AddColumn("chip").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("macros", s.Macros.ToString("N0"));
        table.AddRow("cell utilization", s.Utilization.ToString("P2"));
        table.AddRow("latency (matrices in sequence)", $"{s.LatencyCycles:N0} cycles = {s.LatencyMs:F3} ms");
        table.AddRow("calls fast / exact", $"{s.FastCalls:N0} / {s.ExactCalls:N0}");
        foreach ((string name, long count) in s.Events)
            if (name is not nameof(ChipEvent.LatencyCycles)) table.AddRow(name, count.ToString("N0"));
        AnsiConsole.Write(table);
    }

    public static JsonNode ToJson(ChipSummary s) =>
        JsonSerializer.SerializeToNode(s, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;
}
