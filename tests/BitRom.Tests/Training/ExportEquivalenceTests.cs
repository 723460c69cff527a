using BitRom.Model.Architectures;
using BitRom.Model.Inference;
using BitRom.Model.Training;
using Xunit;

namespace BitRom.Tests.Training;

/// <summary>The trainer's fake-quantized forward pass against the engine running the exported ternary weights.</summary>
public class ExportEquivalenceTests
{
    /// <summary>
    /// Max |logit difference|: BitLinear is bit-exact (integer sums), norms/attention use the same FloatOps; only the
    /// head product (FMA gemm vs the engine's fixed-order dot) rounds differently, which int8 re-quantization downstream
    /// can amplify by one quantization step in rare tokens.
    /// </summary>
    private const float LogitTolerance = 2e-3f;

    [Theory]
    [InlineData(FfnActivation.Silu, true, true)]
    [InlineData(FfnActivation.Relu2, true, false)]
    [InlineData(FfnActivation.Silu, false, false)]
    public void TrainerForward_MatchesEngineOnExportedWeights(FfnActivation act, bool subNorms, bool tied)
    {
        ModelConfig config = GradientCheckTests.Tiny(act, subNorms, tied, kvHeads: 1);
        var model = new TrainableModel(config);
        model.Initialize(5, std: 0.3f);
        var graph = new TrainingGraph(model, batch: 1, seqLen: 8);
        var (inputs, targets) = GradientCheckTests.Batch(graph.Rows, config.VocabSize, 2);
        graph.Forward(inputs, targets, forTraining: false);
        float[] trainerLogits = graph.Logits.ToArray();

        var engine = new Transformer(config, model.ToModelWeights());
        float[] engineLogits = engine.Forward(inputs, 0, allLogits: true).ToArray();

        Assert.Equal(trainerLogits.Length, engineLogits.Length);
        float maxDiff = 0;
        for (int i = 0; i < trainerLogits.Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(trainerLogits[i] - engineLogits[i]));
        Assert.True(maxDiff <= LogitTolerance, $"max |trainer − engine| logit difference {maxDiff}");
    }
}
