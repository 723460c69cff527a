using System.Reflection;
using YamlDotNet.RepresentationModel;

namespace BitRom.Hardware.Tables;

/// <summary>Loads the embedded technology tables (<c>Tables/Data/*.yaml</c>) and derives other nodes by <see cref="NodeScaling"/>.</summary>
public static class TechnologyLoader
{
    /// <summary>Nodes with a table: 65 nm (base) and the derived ones of <c>nodes.yaml</c>.</summary>
    public static IReadOnlyList<int> Nodes => NodeScaling.Nodes.Select(n => n.NodeNm).ToList();

    private static readonly Lazy<TechnologyTable> Base65 = new(() => Parse(ReadResource("bitrom65.yaml"), "bitrom65.yaml"));

    /// <summary>The table of <paramref name="nodeNm"/> (65 default; 28, 16, 7 derived).</summary>
    public static TechnologyTable Load(int nodeNm = 65) =>
        nodeNm == Base65.Value.NodeNm ? Base65.Value : Derived.GetOrAdd(nodeNm, n => NodeScaling.Derive(Base65.Value, n));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, TechnologyTable> Derived = new();

    /// <summary>Text of an embedded data file.</summary>
    public static string ReadResource(string fileName)
    {
        string name = "BitRom.Hardware.Tables.Data." + fileName;
        using Stream s = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from BitRom.Hardware");
        using var reader = new StreamReader(s);
        return reader.ReadToEnd();
    }

    /// <summary>Parses a table file; throws <see cref="InvalidDataException"/> naming the file and the row.</summary>
    public static TechnologyTable Parse(string yaml, string origin)
    {
        YamlMappingNode root = Root(yaml, origin);
        string name = Scalar(root, "name", origin);
        int node = (int)Number(root, "node_nm", origin);
        if (root.Children.TryGetValue(new YamlScalarNode("rows"), out YamlNode? rowsNode) is false || rowsNode is not YamlSequenceNode rows)
            throw new InvalidDataException($"{origin}: 'rows' must be a list");
        var list = new List<TechRow>();
        int i = 0;
        foreach (YamlNode n in rows)
        {
            string where = $"{origin} row {i++}";
            if (n is not YamlMappingNode m) throw new InvalidDataException($"{where}: not a mapping");
            list.Add(new TechRow(Scalar(m, "component", where), Scalar(m, "item", where), Number(m, "value", where), Scalar(m, "unit", where),
                new Provenance(Scalar(m, "citation", where), Scalar(m, "locator", where), Provenance.ParseKind(Scalar(m, "kind", where)))));
        }
        return new TechnologyTable(name, node, list, "");
    }

    internal static YamlMappingNode Root(string yaml, string origin)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InvalidDataException($"{origin}: YAML error at line {e.Start.Line}: {e.Message}");
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new InvalidDataException($"{origin}: expected one YAML mapping document");
        return root;
    }

    internal static string Scalar(YamlMappingNode m, string key, string where) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? v) && v is YamlScalarNode { Value: { Length: > 0 } s } ? s
        : throw new InvalidDataException($"{where}: missing or empty '{key}'");

    internal static double Number(YamlMappingNode m, string key, string where)
    {
        string s = Scalar(m, key, where);
        return double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v : throw new InvalidDataException($"{where}: '{key}' = '{s}' is not a finite number");
    }
}
