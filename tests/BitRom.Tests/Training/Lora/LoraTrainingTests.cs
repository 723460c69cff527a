using BitRom.Model.Architectures;
using BitRom.Model.Inference;
using BitRom.Model.Lora;
using BitRom.Model.Synthetic;
using BitRom.Model.Training;
using BitRom.Tests.Training;
using Xunit;

namespace BitRom.Tests.Training.Lora;

/// <summary>The trainer's LoRA branch: gradients, frozen base, training, and the saved adapter in the engine.</summary>
public class LoraTrainingTests
{
    /// <summary>Finite-difference step.</summary>
    private const float Epsilon = 1e-2f;
    /// <summary>Allowed |numeric − analytic| relative to the largest gradient magnitude of the tensor (float32 loss).</summary>
    private const double RelativeTolerance = 2e-2;
    /// <summary>
    /// Max |trainer − engine| logit difference with an fp adapter: the base is bit-exact in BitLinear, the adapter's
    /// products round differently (FMA gemm vs <c>FloatOps.Dot</c>), and int8 re-quantization downstream can turn that
    /// into one quantization step.
    /// </summary>
    private const float LogitTolerance = 1e-2f;

    private static TrainableModel FrozenBase(ModelConfig config, ulong seed)
    {
        var source = new TrainableModel(config);
        source.Initialize(seed, std: 0.3f);
        return TrainableModel.FromWeights(config, source.ToModelWeights());
    }

    [Fact]
    public void LoraBranch_FakeQuantOff_MatchesFiniteDifferences()
    {
        ModelConfig config = GradientCheckTests.Tiny();
        TrainableModel model = FrozenBase(config, 7);
        LoraTarget[] all = [LoraTarget.QProj, LoraTarget.KProj, LoraTarget.VProj, LoraTarget.OProj, LoraTarget.GateProj, LoraTarget.UpProj, LoraTarget.DownProj];
        var lora = new TrainableLora(config, rank: 3, alpha: 6, all, seed: 5);
        // B away from zero so that A's gradient is not trivially zero
        var rng = new SplitMix64(9);
        foreach (LoraTrainingModule m in lora.Modules)
            for (int i = 0; i < m.B.Length; i++) m.B.W[i] = 0.3f * (rng.NextFloat() - 0.5f);
        var graph = new TrainingGraph(model, batch: 2, seqLen: 6, fakeQuant: false, lora);
        var (inputs, targets) = GradientCheckTests.Batch(graph.Rows, config.VocabSize, 11);

        graph.Forward(inputs, targets, forTraining: true);
        graph.Backward();

        foreach (Parameter p in lora.Parameters)
        {
            float maxG = p.G.Max(MathF.Abs);
            Assert.True(maxG > 0, $"{p.Name}: zero gradient");
            var pick = new SplitMix64((ulong)p.Length * 31 + (ulong)p.Rows);
            for (int trial = 0; trial < 4; trial++)
            {
                int i = (int)(pick.Next() % (ulong)p.Length);
                float saved = p.W[i];
                p.W[i] = saved + Epsilon;
                var (up, n1) = graph.Forward(inputs, targets, false);
                p.W[i] = saved - Epsilon;
                var (down, n2) = graph.Forward(inputs, targets, false);
                p.W[i] = saved;
                double numeric = (up / n1 - down / n2) / (2 * Epsilon);
                Assert.True(Math.Abs(numeric - p.G[i]) <= RelativeTolerance * Math.Max(maxG, 1e-3),
                    $"{p.Name}[{i}]: analytic {p.G[i]:E4}, numeric {numeric:E4} (max |g| {maxG:E3})");
            }
        }
        // the frozen base collects no weight gradient
        Assert.All(model.Parameters.Where(p => p.Fixed is not null), p => Assert.All(p.G, g => Assert.Equal(0f, g)));
    }

    [Fact]
    public void FrozenBase_ForwardEqualsEngineOnLoadedWeights()
    {
        ModelConfig config = GradientCheckTests.Tiny();
        var source = new TrainableModel(config);
        source.Initialize(3, std: 0.3f);
        ModelWeights weights = source.ToModelWeights();
        var graph = new TrainingGraph(TrainableModel.FromWeights(config, weights), batch: 1, seqLen: 8);
        var (inputs, targets) = GradientCheckTests.Batch(graph.Rows, config.VocabSize, 2);
        graph.Forward(inputs, targets, forTraining: false);
        float[] engine = new Transformer(config, weights).Forward(inputs, 0, allLogits: true).ToArray();
        float max = 0;
        for (int i = 0; i < engine.Length; i++) max = Math.Max(max, Math.Abs(graph.Logits[i] - engine[i]));
        Assert.True(max <= LogitTolerance, $"max |trainer − engine| {max}");
    }

    [Fact]
    public void Training_LowersLoss_BaseBitIdentical_SavedAdapterMatchesEngine()
    {
        ModelConfig config = GradientCheckTests.Tiny();
        TrainableModel model = FrozenBase(config, 13);
        float[][] before = [.. model.Parameters.Select(p => (float[])p.W.Clone())];
        var lora = new TrainableLora(config, rank: 4, alpha: 8, LoraTargets.Default, seed: 1);
        var options = new TrainOptions { Batch = 2, SeqLen = 8, Steps = 200, WarmupSteps = 5, LearningRate = 2e-2f, Seed = 3 };
        var trainer = new LoraTrainer(model, lora, options, bos: config.BosToken);
        // a repetitive corpus the frozen random model cannot already predict
        int[] tokens = [.. Enumerable.Range(0, 400).Select(i => (i * 7) % 29)];
        var data = new TokenDataset(tokens, [.. Enumerable.Range(0, 39).Select(i => i * 10)]);
        double first = trainer.RunStep(data), last = first;
        for (int s = 1; s < options.Steps; s++) last = trainer.RunStep(data);
        Assert.True(last < 0.7 * first, $"loss {first:F3} -> {last:F3}");
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i], model.Parameters[i].W);

        string path = Path.Combine(Path.GetTempPath(), $"lora-train-{Guid.NewGuid():N}.safetensors");
        try
        {
            LoraAdapterFile.Save(path, lora.ToAdapter("trained", LoraQuantization.Fp));
            LoraAdapter loaded = LoraAdapterFile.Load(path, new LoraOptions()).Validate(config);
            Assert.Equal(4, loaded.Rank);
            Assert.Equal(8f, loaded.Alpha);
            Assert.Equal(LoraQuantization.Fp, loaded.Quantization);

            var graph = new TrainingGraph(model, batch: 1, seqLen: 8, lora: lora);
            var (inputs, targets) = GradientCheckTests.Batch(graph.Rows, config.VocabSize, 4);
            graph.Forward(inputs, targets, forTraining: false);
            var engine = new Transformer(config, model.ToModelWeights()) { Adapter = loaded };
            float[] logits = engine.Forward(inputs, 0, allLogits: true).ToArray();
            float max = 0, change = 0;
            var bare = new Transformer(config, model.ToModelWeights()).Forward(inputs, 0, allLogits: true).ToArray();
            for (int i = 0; i < logits.Length; i++)
            {
                max = Math.Max(max, Math.Abs(graph.Logits[i] - logits[i]));
                change = Math.Max(change, Math.Abs(bare[i] - logits[i]));
            }
            Assert.True(max <= LogitTolerance, $"max |trainer − engine| {max}");
            Assert.True(change > 10 * LogitTolerance, $"the adapter changes the logits by only {change}");
        }
        finally
        {
            File.Delete(path);
            File.Delete(Path.ChangeExtension(path, ".json"));
        }
    }
}
