using BitRom.Model.Architectures;
using BitRom.Model.Inference;

namespace BitRom.Model.Lora;

/// <summary>A tensor of an adapter file: its key, shape and float32 values.</summary>
public sealed record LoraTensor(string Key, long[] Shape, float[] Data);

/// <summary>How to read and run an adapter; null fields come from the JSON sidecar, else from the defaults.</summary>
public sealed record LoraOptions
{
    /// <summary>The authors' default alpha (PAPER-NOTES.md §6: r = 16, alpha = 32, scale 2.0).</summary>
    public const float DefaultAlpha = 32f;

    /// <summary>Rank r; when null, the sidecar's, else the tensors'.</summary>
    public int? Rank { get; init; }
    /// <summary>Alpha; when null, the sidecar's, else <see cref="DefaultAlpha"/>.</summary>
    public float? Alpha { get; init; }
    /// <summary>Arithmetic; when null, the sidecar's, else W6A8 (the chip's setting, PAPER-NOTES.md §6).</summary>
    public LoraQuantization? Quantization { get; init; }
    /// <summary>Modules to apply; when null, the sidecar's target_modules, else v_proj, o_proj, down_proj.</summary>
    public IReadOnlyList<LoraTarget>? Targets { get; init; }

    /// <summary>Fills every null field of this from <paramref name="fallback"/>.</summary>
    public LoraOptions Over(LoraOptions fallback) => new()
    {
        Rank = Rank ?? fallback.Rank, Alpha = Alpha ?? fallback.Alpha,
        Quantization = Quantization ?? fallback.Quantization, Targets = Targets ?? fallback.Targets,
    };

    /// <summary>Parses fp | w6a8 | ternary.</summary>
    public static LoraQuantization ParseQuantization(string name) => name.ToLowerInvariant() switch
    {
        "fp" => LoraQuantization.Fp,
        "w6a8" => LoraQuantization.W6A8,
        "ternary" or "w1.58a8" => LoraQuantization.Ternary,
        _ => throw new ArgumentException($"unknown LoRA quantization '{name}'; known: fp, w6a8, ternary"),
    };
}

/// <summary>
/// A LoRA adapter: modules keyed by (layer, target), one rank, alpha and arithmetic. Applied through
/// <see cref="ILinearAdapter"/>; it never touches the ternary weights (the ROM).
/// </summary>
public sealed class LoraAdapter : ILinearAdapter
{
    private readonly Dictionary<(int Layer, LoraTarget Target), LoraModule> _modules;

    private LoraAdapter(string name, int rank, float alpha, LoraQuantization quantization, IReadOnlyList<LoraTarget> targets, Dictionary<(int, LoraTarget), LoraModule> modules)
    {
        Name = name;
        Rank = rank;
        Alpha = alpha;
        Quantization = quantization;
        Targets = targets;
        _modules = modules;
    }

    /// <summary>Name (the file name, for messages and switching).</summary>
    public string Name { get; }
    /// <summary>Rank r.</summary>
    public int Rank { get; }
    /// <summary>Alpha.</summary>
    public float Alpha { get; }
    /// <summary>alpha / r, in float32.</summary>
    public float Scaling => Alpha / Rank;
    /// <summary>Arithmetic.</summary>
    public LoraQuantization Quantization { get; }
    /// <summary>Target kinds applied.</summary>
    public IReadOnlyList<LoraTarget> Targets { get; }
    /// <summary>Modules, by layer then target.</summary>
    public IEnumerable<LoraModule> Modules => _modules.Values.OrderBy(m => m.Layer).ThenBy(m => m.Target);
    /// <summary>Parameters of all modules.</summary>
    public long Parameters => _modules.Values.Sum(m => m.Parameters);

    /// <summary>The same modules with another arithmetic (switching W6A8 / fp at run time).</summary>
    public LoraAdapter WithQuantization(LoraQuantization q) => new(Name, Rank, Alpha, q, Targets, _modules);

    /// <inheritdoc />
    public void Apply(int layer, string name, ReadOnlySpan<float> x, int tokens, Span<float> y)
    {
        if (LoraTargets.FromTapName(name) is { } t && _modules.TryGetValue((layer, t), out LoraModule? m))
            m.Apply(x, tokens, y, Scaling, Quantization);
    }

    /// <summary>
    /// Builds an adapter from tensors keyed <c>&lt;module path&gt;.lora_a</c> [K, r] and <c>&lt;module path&gt;.lora_b</c>
    /// [r, N] (DESIGN.md §5.7). Throws naming the key on an unknown module, a missing half, a shape or rank mismatch,
    /// or a module outside the targets.
    /// </summary>
    public static LoraAdapter FromTensors(string name, IEnumerable<LoraTensor> tensors, LoraOptions options)
    {
        IReadOnlyList<LoraTarget> targets = options.Targets ?? LoraTargets.Default;
        var halves = new Dictionary<(int, LoraTarget), (LoraTensor? A, LoraTensor? B)>();
        foreach (LoraTensor t in tensors)
        {
            bool isA = t.Key.EndsWith(".lora_a", StringComparison.Ordinal), isB = t.Key.EndsWith(".lora_b", StringComparison.Ordinal);
            if (!isA && !isB) throw new InvalidDataException($"{name}: tensor '{t.Key}' is neither <module>.lora_a nor <module>.lora_b");
            string path = t.Key[..^7];
            var parsed = LoraTargets.ParseModulePath(path) ?? throw new InvalidDataException($"{name}: tensor '{t.Key}' names no known BitLinear module");
            if (!targets.Contains(parsed.Target))
                throw new InvalidDataException($"{name}: tensor '{t.Key}' targets {LoraTargets.HfName(parsed.Target)}, not among the targets {string.Join(", ", targets.Select(LoraTargets.HfName))}");
            if (t.Shape.Length != 2) throw new InvalidDataException($"{name}: tensor '{t.Key}' has rank {t.Shape.Length}, expected 2");
            halves.TryGetValue(parsed, out var pair);
            if ((isA ? pair.A : pair.B) is not null) throw new InvalidDataException($"{name}: tensor '{t.Key}' appears twice");
            halves[parsed] = isA ? (t, pair.B) : (pair.A, t);
        }
        if (halves.Count == 0) throw new InvalidDataException($"{name}: no LoRA tensors");

        int? rank = options.Rank;
        var modules = new Dictionary<(int, LoraTarget), LoraModule>();
        foreach (var ((layer, target), (a, b)) in halves)
        {
            string path = LoraTargets.HfModulePath(layer, target);
            if (a is null || b is null) throw new InvalidDataException($"{name}: module {path} has no {(a is null ? "lora_a" : "lora_b")}");
            if (a.Shape[1] != b.Shape[0]) throw new InvalidDataException($"{name}: module {path}: lora_a [{a.Shape[0]}, {a.Shape[1]}] and lora_b [{b.Shape[0]}, {b.Shape[1]}] disagree on the rank");
            rank ??= (int)a.Shape[1];
            if (a.Shape[1] != rank) throw new InvalidDataException($"{name}: module {path} has rank {a.Shape[1]}, expected {rank}");
            if (a.Shape[0] > int.MaxValue || b.Shape[1] > int.MaxValue) throw new InvalidDataException($"{name}: module {path} is too large");
            modules[(layer, target)] = new LoraModule(layer, target, (int)a.Shape[0], (int)b.Shape[1], rank.Value, a.Data, b.Data);
        }
        return new LoraAdapter(name, rank!.Value, options.Alpha ?? LoraOptions.DefaultAlpha, options.Quantization ?? LoraQuantization.W6A8, targets, modules);
    }

    /// <summary>Checks every module's layer and [K, N] against the model's BitLinear shapes; throws naming the module.</summary>
    public LoraAdapter Validate(ModelConfig c)
    {
        foreach (LoraModule m in _modules.Values)
        {
            (int k, int n) = ShapeOf(c, m.Target);
            string path = LoraTargets.HfModulePath(m.Layer, m.Target);
            if (m.Layer >= c.Layers) throw new InvalidDataException($"{Name}: module {path}: the model has {c.Layers} layers");
            if (m.K != k || m.N != n) throw new InvalidDataException($"{Name}: module {path} maps {m.K} -> {m.N}, the model's {LoraTargets.HfName(m.Target)} maps {k} -> {n}");
        }
        return this;
    }

    /// <summary>(K, N) of a target's BitLinear in <paramref name="c"/>.</summary>
    public static (int K, int N) ShapeOf(ModelConfig c, LoraTarget t) => t switch
    {
        LoraTarget.QProj => (c.Dim, c.QDim),
        LoraTarget.KProj or LoraTarget.VProj => (c.Dim, c.KvDim),
        LoraTarget.OProj => (c.QDim, c.Dim),
        LoraTarget.GateProj or LoraTarget.UpProj => (c.Dim, c.HiddenDim),
        _ => (c.HiddenDim, c.Dim),
    };
}
