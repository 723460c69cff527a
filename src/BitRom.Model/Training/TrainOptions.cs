namespace BitRom.Model.Training;

/// <summary>
/// Hyper-parameters of a training run. Defaults follow the BitNet b1.58 recipe at small scale (Ma et al. 2024,
/// "The Era of 1-bit LLMs": higher learning rate than fp16 models, weight decay 0.1, cosine decay) and llm.c /
/// nanoGPT for AdamW (β₂ = 0.95, gradient clipping at 1.0).
/// </summary>
public sealed record TrainOptions
{
    /// <summary>Sequences per optimizer step.</summary>
    public int Batch { get; init; } = 8;
    /// <summary>Tokens per sequence (including the leading BOS).</summary>
    public int SeqLen { get; init; } = 128;
    /// <summary>Optimizer steps in total.</summary>
    public int Steps { get; init; } = 1000;
    /// <summary>Linear warmup steps.</summary>
    public int WarmupSteps { get; init; } = 50;
    /// <summary>Peak learning rate.</summary>
    public float LearningRate { get; init; } = 3e-3f;
    /// <summary>Final learning rate as a fraction of the peak (end of the cosine).</summary>
    public float MinLrFraction { get; init; } = 0.1f;
    /// <summary>Decoupled weight decay on matrices.</summary>
    public float WeightDecay { get; init; } = 0.1f;
    /// <summary>AdamW β₁.</summary>
    public float Beta1 { get; init; } = 0.9f;
    /// <summary>AdamW β₂.</summary>
    public float Beta2 { get; init; } = 0.95f;
    /// <summary>AdamW ε.</summary>
    public float Epsilon { get; init; } = 1e-8f;
    /// <summary>Global gradient-norm clip (0 = off).</summary>
    public float ClipNorm { get; init; } = 1f;
    /// <summary>Seed of initialization and batch sampling.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Validation every this many steps (0 = only at the end).</summary>
    public int EvalEvery { get; init; } = 100;
    /// <summary>Validation batches per intermediate evaluation (the final one uses the whole split).</summary>
    public int EvalBatches { get; init; } = 4;
    /// <summary>Checkpoint every this many steps (0 = only at the end).</summary>
    public int CheckpointEvery { get; init; } = 50;
    /// <summary>Weight ternarization and int8 activations in the forward pass (quantization-aware training).</summary>
    public bool FakeQuant { get; init; } = true;

    /// <summary>Checks every field; throws naming the first offending one.</summary>
    public TrainOptions Validate()
    {
        if (Batch <= 0 || SeqLen < 2 || Steps <= 0) throw new ArgumentException($"train options: batch {Batch}, seq {SeqLen}, steps {Steps} must be positive (seq ≥ 2)");
        if (WarmupSteps < 0 || EvalEvery < 0 || CheckpointEvery < 0 || EvalBatches <= 0) throw new ArgumentException("train options: warmup, eval and checkpoint intervals must not be negative");
        if (!(LearningRate > 0) || !(MinLrFraction >= 0 && MinLrFraction <= 1)) throw new ArgumentException($"train options: learning rate {LearningRate} / min fraction {MinLrFraction}");
        if (!(Beta1 >= 0 && Beta1 < 1) || !(Beta2 >= 0 && Beta2 < 1) || !(Epsilon > 0) || !(WeightDecay >= 0) || !(ClipNorm >= 0))
            throw new ArgumentException("train options: AdamW betas must be in [0, 1), epsilon positive, decay and clip non-negative");
        return this;
    }

    /// <summary>Learning rate at <paramref name="step"/> (0-based): linear warmup to the peak, then cosine to MinLrFraction · peak.</summary>
    public float LearningRateAt(int step)
    {
        if (step < WarmupSteps) return LearningRate * (step + 1) / WarmupSteps;
        double progress = Steps <= WarmupSteps ? 1 : Math.Min(1.0, (double)(step - WarmupSteps) / (Steps - WarmupSteps));
        double cosine = 0.5 * (1 + Math.Cos(Math.PI * progress));
        return (float)(LearningRate * (MinLrFraction + (1 - MinLrFraction) * cosine));
    }
}
