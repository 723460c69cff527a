using BitRom.Hardware.Components;
using BitRom.Hardware.Simulation;
using BitRom.Numerics.Kernels;
using BitRom.Numerics.Ternary;
using Xunit;

namespace BitRom.Tests.Hardware;

public class SensingNoiseTests
{
    /// <summary>Binomial standard deviations allowed between the Monte-Carlo error rate and the Gaussian tail.</summary>
    private const double ToleranceSigmas = 5;

    [Fact]
    public void Sense_SigmaZero_NoTritErrors()
    {
        TernaryMatrix w = ChipTestData.Matrix("w", 50, 100, 9);
        sbyte[] q = ChipTestData.Activations(2, 100, 9);
        var chip = new ChipExactBackend(ChipTestData.Small(), ReferenceBackend.Instance);
        var got = new int[100];
        chip.Ternary(w, q, 2, got);
        Assert.Equal(0, chip.Stats.Total()[ChipEvent.SenseError]);
    }

    [Theory]
    [InlineData(0, 0.08)]
    [InlineData(1, 0.08)]
    [InlineData(-1, 0.08)]
    [InlineData(1, 0.2)]
    public void Sense_LargeSigma_ErrorRateMatchesGaussianTail(int trit, double sigma)
    {
        ChipConfig config = ChipTestData.Small() with { SensingSigmaVdd = sigma, Seed = 42 };
        var amp = new SenseAmplifier(config);
        var stored = Enumerable.Repeat((sbyte)trit, 1000).ToArray();
        var sensed = new sbyte[stored.Length];
        const int reads = 100;
        for (int i = 0; i < reads; i++) amp.Sense(stored, sensed);
        double n = reads * stored.Length, p = SenseAmplifier.ErrorProbability(trit, config);
        double rate = amp.Errors / n, sd = Math.Sqrt(p * (1 - p) / n);
        Assert.True(p > 0.01, $"the case must be a real test: p = {p}");
        Assert.True(Math.Abs(rate - p) <= ToleranceSigmas * sd, $"rate {rate} vs Gaussian tail {p} ± {sd}");
    }

    [Fact]
    public void Sense_Noise_FlowsIntoResult()
    {
        TernaryMatrix w = ChipTestData.Matrix("w", 32, 64, 4);
        sbyte[] q = ChipTestData.Activations(1, 64, 4);
        var want = new int[32];
        TernaryGemm.Reference(w, q, 1, want);
        var chip = new ChipBackend(ChipTestData.Small() with { SensingSigmaVdd = 0.1 }, ReferenceBackend.Instance);
        var got = new int[32];
        chip.Ternary(w, q, 1, got);
        Assert.True(chip.Stats.Total()[ChipEvent.SenseError] > 0);
        Assert.NotEqual(want, got);
        Assert.Equal(1, chip.ExactCalls);
    }
}
