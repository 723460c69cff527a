using System.Text.Json;
using System.Text.Json.Nodes;
using BitRom.Hardware.Cost;
using BitRom.Hardware.Simulation;
using Spectre.Console;

namespace BitRom.Cli;

/// <summary>Prints a <see cref="ChipSummary"/> (the chip part of <c>bitrom run</c>) and returns it as JSON.</summary>
internal static class ChipSummaryView
{
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Writes the table; the returned node (summary plus energy) shares the one cost-model evaluation.</summary>
    public static JsonNode Write(ChipSummary s)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"chip ({s.Backend})").AddColumn("chip").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("macros", s.Macros.ToString("N0"));
        table.AddRow("cell utilization", s.Utilization.ToString("P2"));
        table.AddRow("latency (matrices in sequence)", $"{s.LatencyCycles:N0} cycles = {s.LatencyMs:F3} ms");
        table.AddRow("calls fast / exact", $"{s.FastCalls:N0} / {s.ExactCalls:N0}");
        var (energy, macroPj, topsPerWatt) = ChipCountsAdapter.Energy(s.Events, ChipCountsAdapter.Architecture(BitRom.Hardware.Components.ChipConfig.FromYaml(s.ChipConfigYaml, "chip summary")));
        table.AddRow("macro energy (BiROMA + TriMLA, cost model 65 nm)", $"{macroPj * 1e-6:F3} µJ");
        table.AddRow("counted dynamic energy (macros, tree, broadcast, head MACs)", $"{energy.DynamicPicoJoules * 1e-6:F3} µJ");
        table.AddRow("macro-level TOPS/W (2 ops per ternary MAC)", $"{topsPerWatt:F2}");
        foreach ((string name, long count) in s.Events)
            if (name is not nameof(ChipEvent.LatencyCycles)) table.AddRow(name, count.ToString("N0"));
        AnsiConsole.Write(table);

        JsonNode node = JsonSerializer.SerializeToNode(s, SnakeCase)!;
        node["energy"] = new JsonObject
        {
            ["technology"] = "BitRom65nm", ["macro_pj"] = macroPj, ["dynamic_pj"] = energy.DynamicPicoJoules, ["macro_tops_per_w"] = topsPerWatt,
            ["pj_by_component"] = new JsonObject(energy.ByComponent().Select(x => KeyValuePair.Create(x.Component, (JsonNode?)x.Dynamic))),
        };
        return node;
    }
}
