using BitRom.Model.Synthetic;

namespace BitRom.Model.Training;

/// <summary>
/// LoRA training on a frozen model (DESIGN.md §5.7): the same batches, loss and AdamW as <see cref="Trainer"/>, but
/// only the adapter's A and B are updated; every base parameter stays bit-identical.
/// </summary>
public sealed class LoraTrainer
{
    private readonly int[] _inputs, _targets;
    private readonly int _bos;

    /// <summary>Prepares a run of <paramref name="lora"/> on <paramref name="model"/> (whose parameters must all be frozen).</summary>
    public LoraTrainer(TrainableModel model, TrainableLora lora, TrainOptions options, int bos)
    {
        Options = options.Validate();
        if (model.Parameters.Any(p => !p.Frozen)) throw new ArgumentException("LoRA training needs a frozen base model (TrainableModel.FromWeights)");
        if (bos < 0 || bos >= model.Config.VocabSize) throw new ArgumentException($"BOS token {bos} outside the vocabulary of {model.Config.VocabSize}");
        Lora = lora;
        _bos = bos;
        Graph = new TrainingGraph(model, options.Batch, options.SeqLen, options.FakeQuant, lora);
        _inputs = new int[Graph.Rows];
        _targets = new int[Graph.Rows];
    }

    /// <summary>Hyper-parameters.</summary>
    public TrainOptions Options { get; }
    /// <summary>The adapter being trained.</summary>
    public TrainableLora Lora { get; }
    /// <summary>The graph (frozen base + LoRA branch).</summary>
    public TrainingGraph Graph { get; }
    /// <summary>Optimizer steps done.</summary>
    public int Step { get; private set; }

    /// <summary>One optimizer step on a sampled batch of <paramref name="train"/>; returns the batch's mean loss.</summary>
    public double RunStep(TokenDataset train)
    {
        var rng = SplitMix64.ForStream(Options.Seed, $"lora batch {Step}");
        for (int b = 0; b < Options.Batch; b++) train.Sample(ref rng, Options.SeqLen, _bos, _inputs, _targets, b);
        var (sum, count) = Graph.Forward(_inputs, _targets, forTraining: true);
        Graph.Backward();
        AdamW.Step(Lora.Parameters, Options, Step + 1, Options.LearningRateAt(Step));
        Step++;
        return sum / count;
    }

    /// <summary>Mean loss (nats per token) of the model with the adapter over evaluation chunks of <paramref name="data"/> (the first <paramref name="maxBatches"/> batches; all when ≤ 0).</summary>
    public double Evaluate(TokenDataset data, int maxBatches = 0) => Trainer.Evaluate(Graph, data, _bos, maxBatches, _inputs, _targets);
}
