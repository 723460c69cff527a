using BitRom.Hardware.Components;
using System.Globalization;
using BitRom.Hardware.Cost;
using BitRom.Hardware.Tables;
using YamlDotNet.RepresentationModel;

namespace BitRom.Hardware.Sweep;

/// <summary>Grid (cartesian product) or random (independent uniform picks per parameter).</summary>
public enum SweepMode
{
    /// <summary>Every combination of the listed values.</summary>
    Grid,
    /// <summary><see cref="SweepSpec.Samples"/> random combinations, seeded.</summary>
    Random,
}

/// <summary>
/// A design-space sweep: a model name (resolved by the caller), a request, and a list of values per swept
/// parameter (issue 7 §6). Parameters not listed keep the chip default. Read from YAML; every field validated.
/// </summary>
public sealed record SweepSpec(string Model, int PromptLen, int GenLen, SweepMode Mode, int Samples, ulong Seed,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters)
{
    /// <summary>Parameter names a spec may sweep, with what each sets.</summary>
    public static IReadOnlyDictionary<string, string> Known { get; } = new Dictionary<string, string>
    {
        ["rows"] = "BiROMA rows", ["cols"] = "BiROMA columns", ["group_rows"] = "TriMLA group G", ["local_bits"] = "TriMLA local width",
        ["global_bits"] = "TriMLA global width", ["clock_mhz"] = "clock (MHz)", ["edram_kib"] = "DR eDRAM capacity (KiB; 0 = none)",
        ["t_ret_ms"] = "eDRAM retention (ms)", ["policy"] = "eDRAM policy recent|first|layers", ["dram"] = "DRAM type", ["node_nm"] = "process node",
        ["context"] = "context length = prompt + generation (prompt = context - gen_len)", ["lora_rank"] = "LoRA rank (0 = none)",
        ["kv_bits"] = "KV precision 8|16", ["tokens_per_read"] = "prefill tokens per ROM read",
        ["lm_head"] = "embedding/lm_head placement rom-int8|dram|sram", ["name"] = "chip name in reports",
    };

    /// <summary>Largest grid allowed (a guard against a typo that asks for billions of points).</summary>
    public const long MaxPoints = 1_000_000;

    /// <summary>Number of points the spec produces.</summary>
    public long PointCount => Mode == SweepMode.Random ? Samples : Parameters.Values.Aggregate(1L, (p, v) => p * v.Count);

    /// <summary>Parses a spec; throws <see cref="InvalidDataException"/> naming the file and field.</summary>
    public static SweepSpec Parse(string yaml, string origin)
    {
        YamlMappingNode root = TechnologyLoader.Root(yaml, origin);
        string Opt(string key, string dflt) => root.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? v) && v is YamlScalarNode { Value: { } s } ? s : dflt;
        int Int(string key, int dflt)
        {
            string s = Opt(key, dflt.ToString(CultureInfo.InvariantCulture));
            return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > 0 ? v : throw new InvalidDataException($"{origin}: '{key}' = '{s}' must be a positive integer");
        }
        string mode = Opt("mode", "grid");
        SweepMode m = mode switch { "grid" => SweepMode.Grid, "random" => SweepMode.Random, _ => throw new InvalidDataException($"{origin}: mode '{mode}' must be grid or random") };
        var parameters = new Dictionary<string, IReadOnlyList<string>>();
        if (root.Children.TryGetValue(new YamlScalarNode("parameters"), out YamlNode? pn))
        {
            if (pn is not YamlMappingNode pm) throw new InvalidDataException($"{origin}: 'parameters' must be a mapping of name: [values]");
            foreach (var (k, v) in pm.Children)
            {
                string name = ((YamlScalarNode)k).Value ?? "";
                if (!Known.ContainsKey(name)) throw new InvalidDataException($"{origin}: unknown parameter '{name}'; known: {string.Join(", ", Known.Keys)}");
                var values = v is YamlSequenceNode seq ? seq.Select(x => (x as YamlScalarNode)?.Value ?? "").ToList() : [((YamlScalarNode)v).Value ?? ""];
                if (values.Count == 0 || values.Any(string.IsNullOrWhiteSpace)) throw new InvalidDataException($"{origin}: parameter '{name}' needs at least one non-empty value");
                parameters[name] = values;
            }
        }
        ulong seed = ulong.TryParse(Opt("seed", "1"), NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong sd) ? sd : throw new InvalidDataException($"{origin}: 'seed' must be a non-negative integer");
        var spec = new SweepSpec(Opt("model", "falcon3-1b-1.58bit"), Int("prompt_len", 128), Int("gen_len", 128), m, Int("samples", 1000), seed, parameters);
        if (spec.PointCount > MaxPoints) throw new InvalidDataException($"{origin}: {spec.PointCount} points exceed the limit of {MaxPoints}");
        foreach (var (name, values) in parameters)
            foreach (string value in values)
                _ = spec.Apply(ChipArchitecture.Default, new Workload(spec.PromptLen, spec.GenLen), new Dictionary<string, string> { [name] = value }, origin);
        return spec;
    }

    /// <summary>The chip and request of one point: <paramref name="values"/> applied to the defaults.</summary>
    public (ChipArchitecture Chip, Workload Workload) Apply(ChipArchitecture chip, Workload w, IReadOnlyDictionary<string, string> values, string origin = "sweep")
    {
        foreach (var (name, text) in values)
        {
            double Num() => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d
                : throw new InvalidDataException($"{origin}: parameter {name} value '{text}' is not a number");
            int Int() => Num() is var d && d == Math.Floor(d) && d >= 0 && d <= int.MaxValue ? (int)d : throw new InvalidDataException($"{origin}: parameter {name} value '{text}' is not a whole number");
            chip = name switch
            {
                "rows" => chip with { Rows = Int() }, "cols" => chip with { Cols = Int() }, "group_rows" => chip with { GroupRows = Int() },
                "local_bits" => chip with { LocalBits = Int() }, "global_bits" => chip with { GlobalBits = Int() }, "clock_mhz" => chip with { ClockMHz = Num() },
                "edram_kib" => chip with { EdramBytes = (long)Int() * 1024 }, "t_ret_ms" => chip with { TRetMs = Num() },
                "policy" => chip with { Policy = Enum.TryParse(text, true, out KvPlacementPolicy p) ? p : throw new InvalidDataException($"{origin}: policy '{text}' must be recent, first or layers") },
                "dram" => chip with { DramType = text }, "node_nm" => chip with { NodeNm = Int() }, "lora_rank" => chip with { LoraRank = Int() },
                "kv_bits" => chip with { KvBits = Int() }, "tokens_per_read" => chip with { TokensPerRead = Int() },
                "lm_head" => chip with
                {
                    Head = text switch
                    {
                        "rom-int8" => HeadPlacement.RomInt8, "dram" => HeadPlacement.Dram, "sram" => HeadPlacement.Sram,
                        _ => throw new InvalidDataException($"{origin}: lm_head '{text}' must be rom-int8, dram or sram"),
                    },
                },
                "name" => chip with { Name = text },
                _ => chip,
            };
            if (name == "context")
            {
                int ctx = Int();
                if (ctx <= GenLen) throw new InvalidDataException($"{origin}: context {ctx} must exceed gen_len {GenLen}");
                w = new Workload(ctx - GenLen, GenLen);
            }
        }
        try
        {
            chip.Validate();
            NodeScaling.Node(chip.NodeNm);
            if (!TechnologyLoader.Load(chip.NodeNm).Has("dram", chip.DramType + ".pj_per_bit")) throw new ArgumentException($"unknown DRAM type '{chip.DramType}'");
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{origin}: {e.Message}");
        }
        return (chip, w);
    }
}
