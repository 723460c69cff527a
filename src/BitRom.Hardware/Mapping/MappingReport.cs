using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BitRom.Hardware.Mapping;

/// <summary>One matrix's line of the mapping report.</summary>
/// <param name="Name">Matrix name.</param>
/// <param name="Layer">Block index, −1 outside the blocks.</param>
/// <param name="Rows">N (outputs).</param>
/// <param name="Cols">K (inputs).</param>
/// <param name="Assignment">Plane use chosen: inputs or outputs extension.</param>
/// <param name="InputBlocks">Blocks along K.</param>
/// <param name="OutputBlocks">Blocks along N.</param>
/// <param name="Planes">Planes holding its blocks.</param>
/// <param name="Macros">Macros holding at least one of its blocks (a packed macro counts for both matrices).</param>
/// <param name="Utilization">N·K over the trit cells of its planes.</param>
public sealed record MatrixMappingRow(string Name, int Layer, int Rows, int Cols, string Assignment, int InputBlocks, int OutputBlocks,
    int Planes, int Macros, double Utilization);

/// <summary>One layer's line: macros and utilization over every matrix of the block.</summary>
public sealed record LayerMappingRow(int Layer, int Matrices, long Weights, int Macros, double Utilization);

/// <summary>The mapping report of DESIGN.md §5.3: macros per matrix, per layer and total, and cell utilization.</summary>
public sealed class MappingReport
{
    /// <summary>Builds the report of <paramref name="rom"/>.</summary>
    public MappingReport(RomMapping rom)
    {
        Rom = rom;
        long planeCells = (long)rom.ArrayRows * rom.ArrayCols;
        Matrices = rom.Matrices.Select(m => new MatrixMappingRow(m.Shape.Name, m.Shape.Layer, m.Shape.Rows, m.Shape.Cols,
            m.Assignment.ToString().ToLowerInvariant(), m.InputBlocks, m.OutputBlocks, m.Blocks.Length, m.Macros.Length,
            (double)m.Shape.Rows * m.Shape.Cols / (m.Blocks.Length * planeCells))).ToArray();
        Layers = rom.Matrices.GroupBy(m => m.Shape.Layer).OrderBy(g => g.Key).Select(g =>
        {
            int macros = g.SelectMany(m => m.Macros).Distinct().Count();
            long weights = g.Sum(m => (long)m.Shape.Rows * m.Shape.Cols);
            return new LayerMappingRow(g.Key, g.Count(), weights, macros, (double)weights / (2 * planeCells * macros));
        }).ToArray();
    }

    /// <summary>The mapping reported on.</summary>
    public RomMapping Rom { get; }

    /// <summary>Per matrix, in compile order.</summary>
    public IReadOnlyList<MatrixMappingRow> Matrices { get; }

    /// <summary>Per layer (a macro packed across two layers counts in both).</summary>
    public IReadOnlyList<LayerMappingRow> Layers { get; }

    /// <summary>JSON: version, geometry, totals, layers, matrices.</summary>
    public string ToJson(string? chipYaml = null)
    {
        var root = new JsonObject
        {
            ["version"] = 1,
            ["array_rows"] = Rom.ArrayRows,
            ["array_cols"] = Rom.ArrayCols,
            ["macros"] = Rom.Macros.Count,
            ["weight_trits"] = Rom.WeightTrits,
            ["capacity_trits"] = Rom.CapacityTrits,
            ["utilization"] = Rom.Utilization,
        };
        if (chipYaml is not null) root["chip_config"] = chipYaml;
        var opts = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        root["layers"] = JsonSerializer.SerializeToNode(Layers, opts);
        root["matrices"] = JsonSerializer.SerializeToNode(Matrices, opts);
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>CSV, one line per matrix, then a <c>TOTAL</c> line.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder("name,layer,rows,cols,assignment,input_blocks,output_blocks,planes,macros,utilization\n");
        foreach (MatrixMappingRow r in Matrices)
            sb.AppendLine(string.Join(',', Csv(r.Name), r.Layer, r.Rows, r.Cols, r.Assignment, r.InputBlocks, r.OutputBlocks, r.Planes, r.Macros,
                r.Utilization.ToString("R", CultureInfo.InvariantCulture)));
        sb.AppendLine(string.Join(',', "TOTAL", "", "", "", "", "", "", Rom.Macros.Sum(m => (m.F is null ? 0 : 1) + (m.B is null ? 0 : 1)),
            Rom.Macros.Count, Rom.Utilization.ToString("R", CultureInfo.InvariantCulture)));
        return sb.ToString();
    }

    private static string Csv(string s) => s.Contains(',') || s.Contains('"') ? $"\"{s.Replace("\"", "\"\"")}\"" : s;
}
