using BitRom.Model.Architectures;
using BitRom.Model.Synthetic;
using BitRom.Model.Tokenizers.Training;
using BitRom.Model.Training;
using Xunit;

namespace BitRom.Tests.Training;

/// <summary>The float GEMM, the schedule, the training loop and checkpoints.</summary>
public class TrainerTests
{
    /// <summary>Relative tolerance of FMA/SIMD accumulation order against the scalar reference.</summary>
    private const float GemmTolerance = 1e-5f;

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(5, 7, 17)]
    [InlineData(37, 33, 48)]
    [InlineData(64, 16, 15)]
    public void Gemm_Multiply_MatchesReference(int m, int k, int n)
    {
        var rng = new SplitMix64((ulong)(m * 1000 + k * 10 + n));
        float[] a = Enumerable.Range(0, m * k).Select(_ => rng.NextFloat() - 0.5f).ToArray();
        float[] b = Enumerable.Range(0, k * n).Select(_ => rng.NextFloat() - 0.5f).ToArray();
        float[] c0 = Enumerable.Range(0, m * n).Select(_ => rng.NextFloat()).ToArray();
        foreach (bool acc in new[] { false, true })
        {
            float[] want = (float[])c0.Clone(), got = (float[])c0.Clone();
            Gemm.Reference(a, b, want, m, k, n, acc);
            Gemm.Multiply(a, b, got, m, k, n, acc);
            for (int i = 0; i < want.Length; i++) Assert.True(Math.Abs(want[i] - got[i]) <= GemmTolerance * (1 + Math.Abs(want[i]) + k), $"[{i}] {want[i]} vs {got[i]}");
        }
    }

    [Fact]
    public void Gemm_SmallIntegers_AreExact()
    {
        // BitLinear's exactness argument: int8 x trit products summed in float are exact below 2^24.
        var rng = new SplitMix64(9);
        int m = 8, k = 512, n = 32;
        float[] a = Enumerable.Range(0, m * k).Select(_ => (float)((int)(rng.Next() % 255) - 127)).ToArray();
        float[] b = Enumerable.Range(0, k * n).Select(_ => (float)((int)(rng.Next() % 3) - 1)).ToArray();
        float[] got = new float[m * n], want = new float[m * n];
        Gemm.Multiply(a, b, got, m, k, n, false);
        Gemm.Reference(a, b, want, m, k, n, false);
        Assert.Equal(want, got);
    }

    [Fact]
    public void Schedule_WarmupThenCosine()
    {
        var o = new TrainOptions { Steps = 100, WarmupSteps = 10, LearningRate = 1f, MinLrFraction = 0.1f };
        Assert.Equal(0.1f, o.LearningRateAt(0), 6);
        Assert.Equal(1f, o.LearningRateAt(9), 6);
        Assert.Equal(1f, o.LearningRateAt(10), 6);
        Assert.Equal(0.55f, o.LearningRateAt(55), 5);
        Assert.Equal(0.1f, o.LearningRateAt(100), 6);
    }

    internal static (Trainer Trainer, BpeVocabulary Vocab) Microscopic(int steps, ulong seed = 1, ModelConfig? shape = null)
    {
        string text = string.Concat(Enumerable.Repeat("and the light was good.\nand god saw the light.\n", 40));
        BpeVocabulary vocab = BpeTrainer.Train(text, 300);
        var config = (shape ?? GradientCheckTests.Tiny()) with { VocabSize = vocab.Count, BosToken = vocab.Bos, EosToken = vocab.Eos, MaxSeqLen = 16 };
        var model = new TrainableModel(config);
        var options = new TrainOptions { Batch = 4, SeqLen = 16, Steps = steps, WarmupSteps = 2, LearningRate = 1e-2f, EvalEvery = 0, Seed = seed };
        model.Initialize(seed);
        var data = TokenDataset.FromText(new BpeTokenizer(vocab), text);
        return (new Trainer(model, vocab, options, data, data), vocab);
    }

    [Fact]
    public void Train_MicroscopicModel_LowersTheLoss()
    {
        var (trainer, _) = Microscopic(40);
        double before = trainer.Evaluate(trainer.Valid!);
        for (int i = 0; i < 40; i++) trainer.RunStep();
        double after = trainer.Evaluate(trainer.Valid!);
        Assert.True(after < before - 1.0, $"validation loss {before:F3} → {after:F3}");
    }

    [Fact]
    public void Checkpoint_SaveLoadResume_ContinuesIdentically()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bitrom-ckpt-{Guid.NewGuid():N}.ckpt");
        try
        {
            var (a, _) = Microscopic(6);
            for (int i = 0; i < 3; i++) a.RunStep();
            a.SaveCheckpoint(path);
            for (int i = 0; i < 3; i++) a.RunStep();

            var (model, header) = Checkpoint.Load(path);
            Assert.Equal(3, header.Step);
            var b = new Trainer(model, header.Vocabulary(), header.Options, a.Train, a.Valid, header.Step, header.Seconds, header.History);
            for (int i = 0; i < 3; i++) b.RunStep();
            for (int p = 0; p < a.Model.Parameters.Count; p++) Assert.Equal(a.Model.Parameters[p].W, b.Model.Parameters[p].W);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Checkpoint_Truncated_ThrowsNamingTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bitrom-ckpt-{Guid.NewGuid():N}.ckpt");
        try
        {
            var (a, _) = Microscopic(1);
            a.SaveCheckpoint(path);
            byte[] bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..(bytes.Length - 5)]);
            var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));
            Assert.Contains(path, e.Message);
            File.WriteAllBytes(path, [.. "XXXX"u8, .. bytes[4..]]);
            Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));
        }
        finally { File.Delete(path); }
    }
}
