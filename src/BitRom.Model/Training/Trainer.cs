using System.Diagnostics;
using BitRom.Model.Synthetic;
using BitRom.Model.Tokenizers.Training;

namespace BitRom.Model.Training;

/// <summary>
/// The training loop: sample a batch, forward, backward, AdamW with warmup + cosine and clipping, re-ternarize;
/// evaluate and checkpoint at intervals. Batches depend only on (seed, step), so a resumed run continues the
/// same sequence of batches.
/// </summary>
public sealed class Trainer
{
    private readonly TrainingGraph _graph;
    private readonly int[] _inputs, _targets;

    /// <summary>Prepares a run (fresh or resumed at <paramref name="step"/>).</summary>
    public Trainer(TrainableModel model, BpeVocabulary vocab, TrainOptions options, TokenDataset train, TokenDataset? valid, int step = 0, double seconds = 0, List<StepRecord>? history = null)
    {
        Options = options.Validate();
        if (vocab.Count != model.Config.VocabSize) throw new ArgumentException($"vocabulary of {vocab.Count} for a model of {model.Config.VocabSize}");
        if (vocab.Bos < 0) throw new ArgumentException("the vocabulary has no BOS token");
        Model = model;
        Vocabulary = vocab;
        Train = train;
        Valid = valid;
        Step = step;
        Seconds = seconds;
        History = history ?? [];
        _graph = new TrainingGraph(model, options.Batch, options.SeqLen, options.FakeQuant);
        _inputs = new int[_graph.Rows];
        _targets = new int[_graph.Rows];
    }

    /// <summary>The model being trained.</summary>
    public TrainableModel Model { get; }
    /// <summary>Its vocabulary.</summary>
    public BpeVocabulary Vocabulary { get; }
    /// <summary>Hyper-parameters.</summary>
    public TrainOptions Options { get; }
    /// <summary>Training data.</summary>
    public TokenDataset Train { get; }
    /// <summary>Validation data, or null.</summary>
    public TokenDataset? Valid { get; }
    /// <summary>Optimizer steps done.</summary>
    public int Step { get; private set; }
    /// <summary>Wall seconds spent in steps and evaluations (all sessions).</summary>
    public double Seconds { get; private set; }
    /// <summary>One record per step.</summary>
    public List<StepRecord> History { get; }

    /// <summary>Runs one optimizer step and returns its record (validation loss only when an evaluation is due).</summary>
    public StepRecord RunStep()
    {
        var clock = Stopwatch.StartNew();
        var rng = SplitMix64.ForStream(Options.Seed, $"batch {Step}");
        for (int b = 0; b < Options.Batch; b++) Train.Sample(ref rng, Options.SeqLen, Vocabulary.Bos, _inputs, _targets, b);
        var (sum, count) = _graph.Forward(_inputs, _targets, forTraining: true);
        _graph.Backward();
        float lr = Options.LearningRateAt(Step);
        double norm = AdamW.Step(Model.Parameters, Options, Step + 1, lr);
        _graph.PrepareWeights();
        Step++;
        double tps = _graph.Rows / clock.Elapsed.TotalSeconds;
        double? valid = null;
        bool last = Step == Options.Steps;
        if (Valid is not null && ((Options.EvalEvery > 0 && Step % Options.EvalEvery == 0) || last))
            valid = Evaluate(Valid, Options.EvalBatches);
        Seconds += clock.Elapsed.TotalSeconds;
        var record = new StepRecord(Step, sum / count, lr, norm, tps, valid);
        History.Add(record);
        return record;
    }

    /// <summary>Mean loss (nats per token) over the first <paramref name="maxBatches"/> batches of evaluation chunks (all when ≤ 0).</summary>
    public double Evaluate(TokenDataset data, int maxBatches = 0) => Evaluate(_graph, data, Vocabulary.Bos, maxBatches, _inputs, _targets);

    /// <summary>
    /// Mean loss of <paramref name="graph"/> over the first <paramref name="maxBatches"/> batches of evaluation chunks of
    /// <paramref name="data"/> (all when ≤ 0); <paramref name="inputs"/> and <paramref name="targets"/> are Rows-long scratch.
    /// </summary>
    internal static double Evaluate(TrainingGraph graph, TokenDataset data, int bos, int maxBatches, int[] inputs, int[] targets)
    {
        int seq = graph.SeqLen, batch = graph.Batch;
        int chunks = data.ChunkCount(seq), batches = (chunks + batch - 1) / batch;
        if (maxBatches > 0) batches = Math.Min(batches, maxBatches);
        double sum = 0;
        long count = 0;
        for (int bi = 0; bi < batches; bi++)
        {
            for (int b = 0; b < batch; b++)
            {
                int chunk = bi * batch + b;
                if (chunk < chunks) data.Chunk(chunk, seq, bos, inputs, targets, b);
                else
                {
                    Array.Fill(inputs, bos, b * seq, seq);
                    Array.Fill(targets, -1, b * seq, seq);
                }
            }
            var (s, n) = graph.Forward(inputs, targets, forTraining: false);
            sum += s;
            count += n;
        }
        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>Writes a checkpoint of the current state.</summary>
    public void SaveCheckpoint(string path) => Checkpoint.Save(path, Model, Vocabulary, Options, Step, Seconds, History);
}
