using System.Text.Json.Nodes;
using BitRom.Hardware.Cost;

namespace BitRom.Reports;

/// <summary>JSON views of result records (the CLI adds the version field).</summary>
public static class ReportJson
{
    /// <summary>The reproduce rows.</summary>
    public static JsonObject Reproduction(IReadOnlyList<PaperRow> rows) => new()
    {
        ["conventions"] = ChipCost.Conventions,
        ["rows"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonObject
        {
            ["claim"] = r.Claim, ["paper_text"] = r.PaperText, ["paper"] = r.Paper, ["ours"] = r.Ours, ["unit"] = r.Unit,
            ["ratio"] = r.Ratio, ["tolerance"] = new JsonArray(r.ToleranceLow, r.ToleranceHigh), ["within_tolerance"] = r.WithinTolerance,
            ["explanation"] = r.Explanation,
        })]),
    };
}
