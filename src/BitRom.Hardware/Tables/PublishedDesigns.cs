using YamlDotNet.RepresentationModel;

namespace BitRom.Hardware.Tables;

/// <summary>A published design as a cited data row (HW-REFERENCES.md §2); NaN = not reported.</summary>
public sealed record PublishedDesign(string Name, string Venue, string Kind, string Node, double TopsPerWatt, double Density, string DensityUnit,
    double AreaMm2, string Notes, Provenance Source)
{
    /// <summary>Density in kB/mm² (a kb/mm² figure divided by 8); NaN when not reported.</summary>
    public double DensityKBPerMm2 => DensityUnit switch
    {
        "kB/mm2" => Density,
        "kb/mm2" => Density / 8,
        _ => double.NaN,
    };
}

/// <summary>Loads <c>Tables/Data/published.yaml</c>.</summary>
public static class PublishedDesigns
{
    /// <summary>Every published design row.</summary>
    public static IReadOnlyList<PublishedDesign> All { get; } = Parse(TechnologyLoader.ReadResource("published.yaml"), "published.yaml");

    /// <summary>The row whose name starts with <paramref name="prefix"/>.</summary>
    public static PublishedDesign Get(string prefix) => All.First(d => d.Name.StartsWith(prefix, StringComparison.Ordinal));

    private static List<PublishedDesign> Parse(string yaml, string origin)
    {
        YamlMappingNode root = TechnologyLoader.Root(yaml, origin);
        if (!root.Children.TryGetValue(new YamlScalarNode("designs"), out YamlNode? n) || n is not YamlSequenceNode seq)
            throw new InvalidDataException($"{origin}: 'designs' must be a list");
        var list = new List<PublishedDesign>();
        int i = 0;
        foreach (YamlNode item in seq)
        {
            string where = $"{origin} design {i++}";
            if (item is not YamlMappingNode m) throw new InvalidDataException($"{where}: not a mapping");
            string Opt(string key) => m.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? v) && v is YamlScalarNode sv ? sv.Value ?? "" : "";
            double Num(string key) => Opt(key) is { Length: > 0 } ? TechnologyLoader.Number(m, key, where) : double.NaN;
            list.Add(new PublishedDesign(TechnologyLoader.Scalar(m, "name", where), Opt("venue"), Opt("kind"), Opt("node"), Num("tops_per_w"),
                Num("density"), Opt("density_unit"), Num("area_mm2"), Opt("notes"),
                new Provenance(TechnologyLoader.Scalar(m, "citation", where), TechnologyLoader.Scalar(m, "locator", where), ProvenanceKind.PaperReported)));
        }
        return list;
    }
}
