using YamlDotNet.RepresentationModel;

namespace BitRom.Hardware.Tables;

/// <summary>One process node: supply, pitches and where they come from (<c>Tables/Data/nodes.yaml</c>).</summary>
public sealed record ProcessNode(int NodeNm, double VddVolts, double M1PitchUm, double CppUm, Provenance Source);

/// <summary>
/// Derives a node's table from the 65 nm one by the first-order rule stated in <c>nodes.yaml</c>:
/// areas ∝ M1 pitch · CPP, dynamic energies ∝ CPP · VDD² (wire C per µm constant), leakage ∝ VDD,
/// off-chip DRAM unchanged. Every scaled row becomes <c>derived</c> and names the factor it got.
/// </summary>
public static class NodeScaling
{
    /// <summary>The nodes of <c>nodes.yaml</c>, base node first.</summary>
    public static IReadOnlyList<ProcessNode> Nodes { get; } = ParseNodes(TechnologyLoader.ReadResource("nodes.yaml"), "nodes.yaml");

    /// <summary>The rule, printed into every report that uses a derived node.</summary>
    public const string Rule = "areas x (m1_pitch*cpp)/(m1_pitch*cpp)_65; dynamic energies x (cpp/cpp_65)*(vdd/vdd_65)^2 "
        + "(c_wire per um constant); junction/gate C x cpp/cpp_65; leakage x vdd/vdd_65; external DRAM unchanged";

    /// <summary>The node record of <paramref name="nodeNm"/>; throws listing the known nodes.</summary>
    public static ProcessNode Node(int nodeNm) => Nodes.FirstOrDefault(n => n.NodeNm == nodeNm)
        ?? throw new ArgumentException($"no technology for {nodeNm} nm; known nodes: {string.Join(", ", Nodes.Select(n => n.NodeNm))}");

    /// <summary>Scales <paramref name="baseTable"/> to <paramref name="nodeNm"/>.</summary>
    public static TechnologyTable Derive(TechnologyTable baseTable, int nodeNm)
    {
        ProcessNode from = Node(baseTable.NodeNm), to = Node(nodeNm);
        double area = to.M1PitchUm * to.CppUm / (from.M1PitchUm * from.CppUm);
        double energy = to.CppUm / from.CppUm * (to.VddVolts * to.VddVolts) / (from.VddVolts * from.VddVolts);
        double cap = to.CppUm / from.CppUm, leak = to.VddVolts / from.VddVolts;
        string tag = $"{baseTable.Name} scaled to {nodeNm} nm by NodeScaling";
        var rows = new List<TechRow>();
        foreach (TechRow r in baseTable.Rows)
        {
            (double factor, string what) = Factor(r, to, area, energy, cap, leak);
            if (factor is double.NaN)
            {
                rows.Add(r);
                continue;
            }
            rows.Add(r with
            {
                Value = r.Key switch
                {
                    "tech.vdd" => to.VddVolts,
                    "tech.m1_pitch" => to.M1PitchUm,
                    "tech.cpp" => to.CppUm,
                    _ => r.Value * factor,
                },
                Source = new Provenance(tag, $"{what} from {r.Value} {r.Unit} ({r.Source.Citation}, {r.Source.KindName})", ProvenanceKind.Derived),
            });
        }
        return new TechnologyTable($"BitRom{nodeNm}nm (derived)", nodeNm, rows, Rule);
    }

    /// <summary>Which factor a row gets (NaN: unchanged).</summary>
    private static (double Factor, string What) Factor(TechRow r, ProcessNode to, double area, double energy, double cap, double leak)
    {
        if (r.Key is "tech.vdd" or "tech.m1_pitch" or "tech.cpp") return (1, $"{to.NodeNm} nm value of nodes.yaml ({to.Source.Locator})");
        if (r.Key == "tech.horowitz_45_to_node") return (energy, $"x {energy:G4} (C·V² rule: 45 nm -> {to.NodeNm} nm)");
        // Horowitz rows stay 45 nm literature values; the factor above carries them to the node.
        if (r.Component is "dram" or "horowitz45" || r.Unit is "x" or "GE" or "lanes" or "ms" || r.Key == "tech.c_wire") return (double.NaN, "");
        return r.Unit switch
        {
            "um2" => (area, $"x {area:G4} (area rule)"),
            "pJ" => (energy, $"x {energy:G4} (C·V² rule)"),
            "fF" => (cap, $"x {cap:G4} (capacitance rule)"),
            "pW" or "nW" => (leak, $"x {leak:G4} (leakage rule)"),
            _ => (double.NaN, ""),
        };
    }

    private static List<ProcessNode> ParseNodes(string yaml, string origin)
    {
        YamlMappingNode root = TechnologyLoader.Root(yaml, origin);
        if (!root.Children.TryGetValue(new YamlScalarNode("nodes"), out YamlNode? n) || n is not YamlSequenceNode seq)
            throw new InvalidDataException($"{origin}: 'nodes' must be a list");
        var list = new List<ProcessNode>();
        int i = 0;
        foreach (YamlNode item in seq)
        {
            string where = $"{origin} node {i++}";
            if (item is not YamlMappingNode m) throw new InvalidDataException($"{where}: not a mapping");
            list.Add(new ProcessNode((int)TechnologyLoader.Number(m, "node_nm", where), TechnologyLoader.Number(m, "vdd", where),
                TechnologyLoader.Number(m, "m1_pitch", where), TechnologyLoader.Number(m, "cpp", where),
                new Provenance(TechnologyLoader.Scalar(m, "citation", where), TechnologyLoader.Scalar(m, "locator", where),
                    Provenance.ParseKind(TechnologyLoader.Scalar(m, "kind", where)))));
        }
        return list;
    }
}
