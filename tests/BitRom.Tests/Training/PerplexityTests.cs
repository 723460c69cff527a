using BitRom.Model.Inference;
using BitRom.Model.Tokenizers.Training;
using BitRom.Model.Training;
using Xunit;

namespace BitRom.Tests.Training;

/// <summary>Streaming perplexity on the engine against the trainer's validation loss.</summary>
public class PerplexityTests
{
    /// <summary>Trainer vs engine mean NLL: only float rounding differs (see ExportEquivalenceTests).</summary>
    private const double NllTolerance = 1e-4;

    [Fact]
    public void Blocks_CutOnlyBeforeLineStarts_TokenizeAsTheWholeText()
    {
        string text = string.Concat(Enumerable.Range(0, 4000).Select(i => i % 7 == 0 ? "\n\n  indented line\n" : $"And verse {i} of the text.\n"));
        string[] blocks = [.. PerplexityEvaluator.Blocks(new StringReader(text))];
        Assert.True(blocks.Length > 1);
        Assert.Equal(text, string.Concat(blocks));
        var tok = new BpeTokenizer(BpeTrainer.Train(text[..5000], 320));
        Assert.Equal(tok.Encode(text, false), blocks.SelectMany(b => tok.Encode(b, false)).ToList());
    }

    [Fact]
    public void Evaluate_Engine_MatchesTrainerValidationLoss()
    {
        var (trainer, vocab) = TrainerTests.Microscopic(5);
        for (int i = 0; i < 5; i++) trainer.RunStep();
        string text = "and god saw the light, and the light was good.\nand the light was good.\n";
        var tok = new BpeTokenizer(vocab);
        var data = TokenDataset.FromText(tok, text);
        double trainerNll = trainer.Evaluate(data);

        var engine = new Transformer(trainer.Model.Config, trainer.Model.ToModelWeights(), contextLength: trainer.Options.SeqLen);
        PerplexityResult r = PerplexityEvaluator.Evaluate(engine, tok, new StringReader(text));
        Assert.Equal(data.Tokens.Length, r.Tokens);
        Assert.Equal(data.ChunkCount(trainer.Options.SeqLen), r.Chunks);
        Assert.True(Math.Abs(r.MeanNll - trainerNll) <= NllTolerance, $"engine {r.MeanNll:F6} vs trainer {trainerNll:F6}");
        Assert.Equal(Math.Exp(r.MeanNll), r.Perplexity, 9);
    }

    [Fact]
    public void NegativeLogLikelihood_UniformLogits_IsLogVocab()
    {
        Assert.Equal(Math.Log(8), PerplexityEvaluator.NegativeLogLikelihood(new float[8], 3), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => PerplexityEvaluator.NegativeLogLikelihood(new float[8], 8));
    }
}
