using System.Globalization;
using BitRom.Hardware.Cost;
using BitRom.Hardware.Tables;
using YamlDotNet.RepresentationModel;

namespace BitRom.Hardware.Sweep;

/// <summary>A chip configuration file (<c>--chip C.yaml</c>): parameters, technology overrides and a named calibration factor.</summary>
public sealed record CostConfig(ChipArchitecture Chip, IReadOnlyDictionary<string, double> TechnologyOverrides, double Calibration, string Source)
{
    /// <summary>The technology table of the chip's node with the overrides applied (each override marked as a placeholder naming the file).</summary>
    public TechnologyTable Technology => TechnologyOverrides.Count == 0 ? TechnologyLoader.Load(Chip.NodeNm) : TechnologyLoader.Load(Chip.NodeNm).With(TechnologyOverrides, Source);

    /// <summary>The default chip, no overrides, no calibration.</summary>
    public static CostConfig Default { get; } = new(ChipArchitecture.Default, new Dictionary<string, double>(), 1.0, "built-in default (DESIGN.md §5)");

    /// <summary>The file at <paramref name="path"/> (<see cref="Parse"/>), or <see cref="Default"/> when there is none.</summary>
    public static CostConfig Load(string? path) => path is null ? Default : Parse(File.ReadAllText(path), path);

    /// <summary>
    /// Parses <c>chip: {rows: 2048, edram_kib: 4096, ...}</c> (the sweep parameter names), optional
    /// <c>technology: {tech.vdd: 0.9, ...}</c> and <c>calibration: 1.0</c>; throws naming the file and field.
    /// </summary>
    public static CostConfig Parse(string yaml, string origin)
    {
        YamlMappingNode root = TechnologyLoader.Root(yaml, origin);
        var values = new Dictionary<string, string>();
        var overrides = new Dictionary<string, double>();
        double calibration = 1.0;
        foreach (var (k, v) in root.Children)
        {
            string key = (k as YamlScalarNode)?.Value ?? "";
            switch (key)
            {
                case "chip":
                    foreach (var (pk, pv) in Map(v, origin, key))
                    {
                        if (!SweepSpec.Known.ContainsKey(pk) || pk == "context") throw new InvalidDataException($"{origin}: unknown chip parameter '{pk}'; known: {string.Join(", ", SweepSpec.Known.Keys.Where(n => n != "context"))}");
                        values[pk] = pv;
                    }
                    break;
                case "technology":
                    foreach (var (tk, tv) in Map(v, origin, key))
                        overrides[tk] = double.TryParse(tv, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d
                            : throw new InvalidDataException($"{origin}: technology override {tk} = '{tv}' is not a number");
                    break;
                case "calibration":
                    string text = (v as YamlScalarNode)?.Value ?? "";
                    calibration = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double c) && c > 0 && double.IsFinite(c) ? c
                        : throw new InvalidDataException($"{origin}: calibration '{text}' must be a positive number");
                    break;
                default:
                    throw new InvalidDataException($"{origin}: unknown key '{key}' (chip, technology, calibration)");
            }
        }
        var spec = new SweepSpec("", 1, 1, SweepMode.Grid, 1, 1, new Dictionary<string, IReadOnlyList<string>>());
        ChipArchitecture chip = spec.Apply(ChipArchitecture.Default, new Workload(1, 1), values, origin).Chip;
        var config = new CostConfig(chip, overrides, calibration, origin);
        try
        {
            _ = config.Technology;
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException(e.Message);
        }
        return config;
    }

    private static IEnumerable<(string Key, string Value)> Map(YamlNode node, string origin, string what)
    {
        if (node is not YamlMappingNode m) throw new InvalidDataException($"{origin}: '{what}' must be a mapping");
        foreach (var (k, v) in m.Children)
            yield return ((k as YamlScalarNode)?.Value ?? "", (v as YamlScalarNode)?.Value ?? throw new InvalidDataException($"{origin}: {what}.{k} must be a scalar"));
    }
}
