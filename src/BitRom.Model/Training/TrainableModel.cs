using BitRom.Model.Architectures;
using BitRom.Model.Synthetic;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Ternary;

namespace BitRom.Model.Training;

/// <summary>One block's parameters (names as llama.cpp's bitnet arch; shapes (out, in)).</summary>
public sealed class LayerParameters
{
    /// <summary>attn_norm, (Dim).</summary>
    public required Parameter AttnNorm { get; init; }
    /// <summary>attn_q, (QDim, Dim).</summary>
    public required Parameter Wq { get; init; }
    /// <summary>attn_k, (KvDim, Dim).</summary>
    public required Parameter Wk { get; init; }
    /// <summary>attn_v, (KvDim, Dim).</summary>
    public required Parameter Wv { get; init; }
    /// <summary>attn_sub_norm, (QDim), or null.</summary>
    public Parameter? AttnSubNorm { get; init; }
    /// <summary>attn_output, (Dim, QDim).</summary>
    public required Parameter Wo { get; init; }
    /// <summary>ffn_norm, (Dim).</summary>
    public required Parameter FfnNorm { get; init; }
    /// <summary>ffn_gate, (HiddenDim, Dim).</summary>
    public required Parameter WGate { get; init; }
    /// <summary>ffn_up, (HiddenDim, Dim).</summary>
    public required Parameter WUp { get; init; }
    /// <summary>ffn_sub_norm, (HiddenDim), or null.</summary>
    public Parameter? FfnSubNorm { get; init; }
    /// <summary>ffn_down, (Dim, HiddenDim).</summary>
    public required Parameter WDown { get; init; }
}

/// <summary>
/// The trainable form of a model of the engine's families: float master weights for every tensor. The forward
/// pass (<see cref="TrainingGraph"/>) ternarizes the BitLinear weights with <see cref="OneBitLlm.Ternarize"/>, so
/// <see cref="ToModelWeights"/> gives exactly the ternary weights the trainer computed with.
/// </summary>
public sealed class TrainableModel
{
    /// <summary>Creates the parameters of <paramref name="config"/>, zero-filled (see <see cref="Initialize"/>).</summary>
    public TrainableModel(ModelConfig config)
    {
        Config = config.Validate();
        var c = config;
        Embedding = new Parameter("token_embd", c.VocabSize, c.Dim, false, true);
        Output = c.TiedEmbeddings ? null : new Parameter("output", c.VocabSize, c.Dim, false, true);
        OutputNorm = new Parameter("output_norm", 1, c.Dim, false, false);
        Layers = new LayerParameters[c.Layers];
        for (int l = 0; l < c.Layers; l++)
        {
            string p = $"blk.{l}.";
            Layers[l] = new LayerParameters
            {
                AttnNorm = new Parameter(p + "attn_norm", 1, c.Dim, false, false),
                Wq = new Parameter(p + "attn_q", c.QDim, c.Dim, true, true),
                Wk = new Parameter(p + "attn_k", c.KvDim, c.Dim, true, true),
                Wv = new Parameter(p + "attn_v", c.KvDim, c.Dim, true, true),
                AttnSubNorm = c.SubNorms ? new Parameter(p + "attn_sub_norm", 1, c.QDim, false, false) : null,
                Wo = new Parameter(p + "attn_output", c.Dim, c.QDim, true, true),
                FfnNorm = new Parameter(p + "ffn_norm", 1, c.Dim, false, false),
                WGate = new Parameter(p + "ffn_gate", c.HiddenDim, c.Dim, true, true),
                WUp = new Parameter(p + "ffn_up", c.HiddenDim, c.Dim, true, true),
                FfnSubNorm = c.SubNorms ? new Parameter(p + "ffn_sub_norm", 1, c.HiddenDim, false, false) : null,
                WDown = new Parameter(p + "ffn_down", c.Dim, c.HiddenDim, true, true),
            };
        }
        var all = new List<Parameter> { Embedding };
        foreach (var l in Layers)
        {
            all.AddRange([l.AttnNorm, l.Wq, l.Wk, l.Wv]);
            if (l.AttnSubNorm is not null) all.Add(l.AttnSubNorm);
            all.AddRange([l.Wo, l.FfnNorm, l.WGate, l.WUp]);
            if (l.FfnSubNorm is not null) all.Add(l.FfnSubNorm);
            all.Add(l.WDown);
        }
        all.Add(OutputNorm);
        if (Output is not null) all.Add(Output);
        Parameters = all;
    }

    /// <summary>Default standard deviation of the normal initialization of matrices (GPT-2 / HF <c>initializer_range</c> 0.02).</summary>
    public const float DefaultInitStd = 0.02f;

    /// <summary>Blueprint.</summary>
    public ModelConfig Config { get; }
    /// <summary>token_embd, (VocabSize, Dim); also the head when tied.</summary>
    public Parameter Embedding { get; }
    /// <summary>Untied head, (VocabSize, Dim), or null.</summary>
    public Parameter? Output { get; }
    /// <summary>output_norm, (Dim).</summary>
    public Parameter OutputNorm { get; }
    /// <summary>Blocks.</summary>
    public LayerParameters[] Layers { get; }
    /// <summary>Every parameter, in a fixed order (checkpoints rely on it).</summary>
    public IReadOnlyList<Parameter> Parameters { get; }
    /// <summary>The head matrix.</summary>
    public Parameter Head => Output ?? Embedding;

    /// <summary>Total trainable values.</summary>
    public long Count => Parameters.Sum(p => (long)p.Length);

    /// <summary>Norm gains 1; matrices N(0, std²) from a seeded generator (Box–Muller over <see cref="SplitMix64"/>).</summary>
    public void Initialize(ulong seed, float std = DefaultInitStd)
    {
        var rng = new SplitMix64(seed);
        foreach (Parameter p in Parameters)
        {
            if (p.Rows == 1) { Array.Fill(p.W, 1f); continue; }
            for (int i = 0; i < p.Length; i++) p.W[i] = std * Gaussian(ref rng);
        }
    }

    /// <summary>A standard normal draw (Box–Muller, one of the pair).</summary>
    internal static float Gaussian(ref SplitMix64 rng)
    {
        double u1 = (rng.Next() >> 11) * (1.0 / (1UL << 53)), u2 = (rng.Next() >> 11) * (1.0 / (1UL << 53));
        return (float)(Math.Sqrt(-2 * Math.Log(1 - u1)) * Math.Cos(2 * Math.PI * u2));
    }

    /// <summary>
    /// A frozen trainable model holding a loaded model's weights: every parameter <see cref="Parameter.Frozen"/>, the
    /// BitLinear weights with the file's exact trits and scale (<see cref="Parameter.Fixed"/>; W = trit · scale for
    /// reference), the embedding and head decoded to float32. The base of LoRA training (DESIGN.md §5.7).
    /// </summary>
    public static TrainableModel FromWeights(ModelConfig config, ModelWeights weights)
    {
        weights.Validate(config);
        var model = new TrainableModel(config);
        static void Dense(DenseMatrix src, Parameter p)
        {
            for (int r = 0; r < src.Rows; r++) src.DecodeRow(r, p.W.AsSpan(r * src.Cols, src.Cols));
        }
        static void Fixed(TernaryMatrix t, Parameter p)
        {
            sbyte[] trits = t.ToTrits();
            for (int i = 0; i < trits.Length; i++) p.W[i] = trits[i] * t.Scale;
            p.Fixed = t;
        }
        Dense(weights.Embedding, model.Embedding);
        if (model.Output is not null) Dense(weights.Output!, model.Output);
        weights.OutputNorm.CopyTo(model.OutputNorm.W, 0);
        for (int l = 0; l < config.Layers; l++)
        {
            LayerParameters p = model.Layers[l];
            LayerWeights w = weights.Layers[l];
            w.AttnNorm.CopyTo(p.AttnNorm.W, 0);
            w.FfnNorm.CopyTo(p.FfnNorm.W, 0);
            w.AttnSubNorm?.CopyTo(p.AttnSubNorm!.W, 0);
            w.FfnSubNorm?.CopyTo(p.FfnSubNorm!.W, 0);
            Fixed(w.Wq, p.Wq); Fixed(w.Wk, p.Wk); Fixed(w.Wv, p.Wv); Fixed(w.Wo, p.Wo);
            Fixed(w.WGate, p.WGate); Fixed(w.WUp, p.WUp); Fixed(w.WDown, p.WDown);
        }
        foreach (Parameter p in model.Parameters) p.Frozen = true;
        return model;
    }

    /// <summary>The inference weights: BitLinear weights as loaded (<see cref="Parameter.Fixed"/>) or ternarized by <see cref="OneBitLlm.Ternarize"/> (as in training), norms and the embedding as F32.</summary>
    public ModelWeights ToModelWeights()
    {
        TernaryMatrix T(Parameter p) => p.Fixed ?? OneBitLlm.Ternarize(p.Name, p.Rows, p.Cols, p.W);
        DenseMatrix D(Parameter p) => DenseMatrix.FromFloats(p.Name, p.Rows, p.Cols, p.W);
        var weights = new ModelWeights
        {
            Embedding = D(Embedding),
            Output = Output is null ? null : D(Output),
            OutputNorm = (float[])OutputNorm.W.Clone(),
            Layers = Layers.Select(l => new LayerWeights
            {
                AttnNorm = (float[])l.AttnNorm.W.Clone(),
                Wq = T(l.Wq), Wk = T(l.Wk), Wv = T(l.Wv), Wo = T(l.Wo),
                AttnSubNorm = (float[]?)l.AttnSubNorm?.W.Clone(),
                FfnNorm = (float[])l.FfnNorm.W.Clone(),
                WGate = T(l.WGate), WUp = T(l.WUp), WDown = T(l.WDown),
                FfnSubNorm = (float[]?)l.FfnSubNorm?.W.Clone(),
            }).ToArray(),
        };
        weights.Validate(Config);
        return weights;
    }
}
