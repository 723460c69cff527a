using BitRom.Model.Architectures;
using BitRom.Model.Synthetic;
using BitRom.Model.Training;
using Xunit;

namespace BitRom.Tests.Training;

/// <summary>Analytic gradients of the whole model against central finite differences (fake quantization off).</summary>
public class GradientCheckTests
{
    /// <summary>Finite-difference step.</summary>
    private const float Epsilon = 1e-2f;
    /// <summary>Allowed |numeric − analytic| relative to the largest gradient magnitude of the tensor (float32 loss).</summary>
    private const double RelativeTolerance = 2e-2;

    internal static ModelConfig Tiny(FfnActivation act = FfnActivation.Silu, bool subNorms = true, bool tied = true, int kvHeads = 1) => new()
    {
        Name = "grad-check", Family = subNorms ? ModelFamily.BitNetB158 : ModelFamily.Falcon3,
        Dim = 16, Layers = 2, Heads = 2, KvHeads = kvHeads, HeadDim = 8, HiddenDim = 24, VocabSize = 32, MaxSeqLen = 8,
        RopeTheta = 10000, NormEps = 1e-5f, Activation = act, SubNorms = subNorms, TiedEmbeddings = tied, BosToken = 30, EosToken = 31,
    };

    internal static (int[] Inputs, int[] Targets) Batch(int rows, int vocab, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var inputs = new int[rows];
        var targets = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            inputs[i] = (int)(rng.Next() % (ulong)vocab);
            targets[i] = (int)(rng.Next() % (ulong)vocab);
        }
        return (inputs, targets);
    }

    [Theory]
    [InlineData(FfnActivation.Silu, true, true, 1)]
    [InlineData(FfnActivation.Relu2, true, true, 2)]
    [InlineData(FfnActivation.Silu, false, false, 1)]
    public void WholeModel_FakeQuantOff_MatchesFiniteDifferences(FfnActivation act, bool subNorms, bool tied, int kvHeads)
    {
        var model = new TrainableModel(Tiny(act, subNorms, tied, kvHeads));
        model.Initialize(7, std: 0.3f);
        // Norm gains away from 1 so their gradients are exercised non-trivially.
        var rng = new SplitMix64(3);
        foreach (Parameter p in model.Parameters.Where(p => p.Rows == 1))
            for (int i = 0; i < p.Length; i++) p.W[i] = 0.5f + rng.NextFloat();
        var graph = new TrainingGraph(model, batch: 2, seqLen: 6, fakeQuant: false);
        var (inputs, targets) = Batch(graph.Rows, 32, 11);
        targets[3] = -1; // an ignored position

        var (sum, count) = graph.Forward(inputs, targets, forTraining: true);
        graph.Backward();
        Assert.True(double.IsFinite(sum / count));

        foreach (Parameter p in model.Parameters)
        {
            float maxG = p.G.Max(MathF.Abs);
            var pick = new SplitMix64((ulong)p.Name.GetHashCode(StringComparison.Ordinal));
            for (int trial = 0; trial < 6; trial++)
            {
                int i = (int)(pick.Next() % (ulong)p.Length);
                float saved = p.W[i];
                p.W[i] = saved + Epsilon; graph.PrepareWeights();
                var (up, n1) = graph.Forward(inputs, targets, false);
                p.W[i] = saved - Epsilon; graph.PrepareWeights();
                var (down, n2) = graph.Forward(inputs, targets, false);
                p.W[i] = saved; graph.PrepareWeights();
                double numeric = (up / n1 - down / n2) / (2 * Epsilon);
                double err = Math.Abs(numeric - p.G[i]);
                Assert.True(err <= RelativeTolerance * Math.Max(maxG, 1e-3),
                    $"{p.Name}[{i}]: analytic {p.G[i]:E4}, numeric {numeric:E4} (max |g| {maxG:E3})");
            }
        }
    }
}
