using BitRom.Model.Architectures;
using BitRom.Model.Lora;
using BitRom.Model.Synthetic;

namespace BitRom.Model.Training;

/// <summary>One trainable LoRA module: A [K, r] and B [r, N] in the authors' layout (DESIGN.md §5.7).</summary>
public sealed record LoraTrainingModule(int Layer, LoraTarget Target, int K, int N, Parameter A, Parameter B);

/// <summary>
/// The trainable LoRA branch of a frozen model: y = BitLinear(x) + ((x·A)·B)·(alpha/r) on every target of every
/// layer (the authors' QuantLoRALinear in fp arithmetic; PAPER-NOTES.md §6). A starts uniform in ±1/√K (PEFT's
/// kaiming_uniform(a = √5) bound), B at zero, so the untrained adapter leaves the model unchanged.
/// </summary>
public sealed class TrainableLora
{
    private readonly Dictionary<(int, LoraTarget), LoraTrainingModule> _modules = [];

    /// <summary>Creates modules of rank <paramref name="rank"/> on <paramref name="targets"/> of every layer of <paramref name="config"/>.</summary>
    public TrainableLora(ModelConfig config, int rank, float alpha, IReadOnlyList<LoraTarget> targets, ulong seed)
    {
        if (rank <= 0 || !float.IsFinite(alpha) || alpha <= 0) throw new ArgumentException($"LoRA rank {rank} and alpha {alpha} must be positive");
        if (targets.Count == 0) throw new ArgumentException("LoRA needs at least one target module");
        Rank = rank;
        Alpha = alpha;
        Targets = [.. targets.Distinct()];
        var rng = new SplitMix64(seed);
        for (int l = 0; l < config.Layers; l++)
            foreach (LoraTarget t in Targets)
            {
                (int k, int n) = LoraAdapter.ShapeOf(config, t);
                string path = LoraTargets.HfModulePath(l, t);
                // no weight decay on adapters (PEFT's default optimizer setup)
                var a = new Parameter(path + ".lora_a", k, rank, false, false);
                var b = new Parameter(path + ".lora_b", rank, n, false, false);
                float bound = 1f / MathF.Sqrt(k);
                for (int i = 0; i < a.Length; i++) a.W[i] = bound * (float)(2 * ((rng.Next() >> 11) * (1.0 / (1UL << 53))) - 1);
                _modules[(l, t)] = new LoraTrainingModule(l, t, k, n, a, b);
            }
        Parameters = [.. Modules.SelectMany(m => new[] { m.A, m.B })];
    }

    /// <summary>Rank r.</summary>
    public int Rank { get; }
    /// <summary>Alpha.</summary>
    public float Alpha { get; }
    /// <summary>alpha / r in float32, as the engine's <see cref="LoraAdapter.Scaling"/>.</summary>
    public float Scaling => Alpha / Rank;
    /// <summary>Targets.</summary>
    public IReadOnlyList<LoraTarget> Targets { get; }
    /// <summary>Modules by layer then target.</summary>
    public IEnumerable<LoraTrainingModule> Modules => _modules.Values.OrderBy(m => m.Layer).ThenBy(m => m.Target);
    /// <summary>The trainable parameters (A and B of every module).</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The module on (layer, target), or null.</summary>
    public LoraTrainingModule? Find(int layer, LoraTarget t) => _modules.GetValueOrDefault((layer, t));

    /// <summary>The engine's adapter with the current weights (copies), named <paramref name="name"/>.</summary>
    public LoraAdapter ToAdapter(string name, LoraQuantization quantization) =>
        LoraAdapter.FromTensors(name,
            Modules.SelectMany(m => new[]
            {
                new LoraTensor(m.A.Name, [m.K, Rank], (float[])m.A.W.Clone()),
                new LoraTensor(m.B.Name, [Rank, m.N], (float[])m.B.W.Clone()),
            }),
            new LoraOptions { Rank = Rank, Alpha = Alpha, Quantization = quantization, Targets = Targets });
}
