using BitRom.Model.Architectures;
using BitRom.Model.Formats;
using BitRom.Model.Inference;
using BitRom.Model.Tokenizers;
using BitRom.Model.Tokenizers.Training;
using BitRom.Model.Training;
using Xunit;

namespace BitRom.Tests.Training;

/// <summary>A trained model exported to GGUF and loaded back through the engine's loader.</summary>
public class GgufExportTests
{
    /// <summary>Max |logit difference| between the trainer and the engine on the loaded file (see ExportEquivalenceTests).</summary>
    private const float LogitTolerance = 2e-3f;

    [Fact]
    public void Export_TrainedModel_LoadsWithSameTritsTokenizerAndLogits()
    {
        // TQ2_0 rows are whole 256-value blocks, so every input width is 256.
        ModelConfig shape = GradientCheckTests.Tiny() with { Dim = 256, Heads = 4, KvHeads = 2, HeadDim = 64, HiddenDim = 256, Layers = 1 };
        var (trainer, vocab) = TrainerTests.Microscopic(3, shape: shape);
        for (int i = 0; i < 3; i++) trainer.RunStep();
        string path = Path.Combine(Path.GetTempPath(), $"bitrom-export-{Guid.NewGuid():N}.gguf");
        try
        {
            TrainedModelExport.WriteGguf(path, trainer.Model, vocab);
            using LoadedModel loaded = ModelLoader.Load(path);

            // the ternary weights are exactly the trainer's
            ModelWeights want = trainer.Model.ToModelWeights();
            foreach (var (a, b) in want.TernaryMatrices.Zip(loaded.Weights.TernaryMatrices))
            {
                Assert.Equal(a.Scale, b.Scale);
                Assert.Equal(a.ToTrits(), b.ToTrits());
            }

            // the GGUF tokenizer (hf helper's loader) agrees with the training encoder
            var ours = new BpeTokenizer(vocab);
            ITokenizer theirs = loaded.Tokenizer ?? GgufVocab.Create(loaded.Metadata);
            foreach (string text in new[] { "and the light was good.\nand god saw", "And GOD said: 'Let there be light!'  123 é€😀\n\n" })
            {
                Assert.Equal(ours.Encode(text, addBos: true), theirs.Encode(text, addBos: true));
                Assert.Equal(text, theirs.Decode(ours.Encode(text, addBos: false)));
            }

            // engine logits on the loaded file = trainer logits
            var graph = new TrainingGraph(trainer.Model, 1, 16);
            int[] inputs = [.. ours.Encode("and the light was good.\nand god saw the light.\nand the light was good.\n", addBos: true).Take(16)];
            Assert.Equal(16, inputs.Length);
            int[] targets = Enumerable.Repeat(-1, 16).ToArray();
            graph.Forward(inputs, targets, forTraining: false);
            var engine = new Transformer(loaded.Config, loaded.Weights);
            ReadOnlySpan<float> e = engine.Forward(inputs, 0, allLogits: true);
            ReadOnlySpan<float> t = graph.Logits;
            float maxDiff = 0;
            for (int i = 0; i < e.Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(e[i] - t[i]));
            Assert.True(maxDiff <= LogitTolerance, $"max |engine − trainer| = {maxDiff}");
        }
        finally { File.Delete(path); }
    }
}
