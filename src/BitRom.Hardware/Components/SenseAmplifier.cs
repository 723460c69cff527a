namespace BitRom.Hardware.Components;

/// <summary>
/// The column sense amplifier with optional non-ideality (DESIGN.md §5.2): the bit line settles at the driving line's
/// level (VDD/2, VDD/4, 0 for 0, +1, −1) plus Gaussian noise σ, and two comparators at <c>SenseHighVdd</c> (3/8 VDD)
/// and <c>SenseLowVdd</c> (1/8 VDD) decode the trit. Errors flow into the TriMLA like any sensed trit.
/// </summary>
public sealed class SenseAmplifier
{
    private readonly double _sigma, _high, _low;
    private readonly NoiseSource _noise;

    /// <summary>Sense amplifiers of <paramref name="config"/>, noise seeded by its <c>Seed</c>.</summary>
    public SenseAmplifier(ChipConfig config)
    {
        _sigma = config.SensingSigmaVdd;
        _high = config.SenseHighVdd;
        _low = config.SenseLowVdd;
        _noise = new NoiseSource(config.Seed);
    }

    /// <summary>True when sensing is ideal (σ = 0): the sensed trit always equals the stored one.</summary>
    public bool Ideal => _sigma == 0;

    /// <summary>Trits sensed differently from the stored trit so far.</summary>
    public long Errors { get; private set; }

    /// <summary>Senses one word line: <paramref name="stored"/> → <paramref name="sensed"/>; returns <paramref name="stored"/> itself when ideal.</summary>
    public ReadOnlySpan<sbyte> Sense(ReadOnlySpan<sbyte> stored, Span<sbyte> sensed)
    {
        if (Ideal) return stored;
        for (int c = 0; c < stored.Length; c++)
        {
            sbyte s = stored[c];
            double v = BiRoma.LevelVdd(BiRoma.LineOf(s)) + _sigma * _noise.NextGaussian();
            sbyte t = v > _high ? (sbyte)0 : v > _low ? (sbyte)1 : (sbyte)-1;
            if (t != s) Errors++;
            sensed[c] = t;
        }
        return sensed[..stored.Length];
    }

    /// <summary>P(sensed ≠ stored) for a stored trit under Gaussian noise σ (the test oracle for the Monte Carlo).</summary>
    public static double ErrorProbability(int storedTrit, ChipConfig config)
    {
        double level = BiRoma.LevelVdd(BiRoma.LineOf(storedTrit)), s = config.SensingSigmaVdd;
        if (s == 0) return 0;
        double pBelowLow = NoiseSource.NormalCdf((config.SenseLowVdd - level) / s);
        double pBelowHigh = NoiseSource.NormalCdf((config.SenseHighVdd - level) / s);
        return storedTrit switch
        {
            0 => pBelowHigh,                 // correct only above the upper threshold
            1 => pBelowLow + 1 - pBelowHigh, // correct only between the thresholds
            _ => 1 - pBelowLow,              // correct only below the lower threshold
        };
    }
}

/// <summary>Seeded Gaussian noise: SplitMix64 (Steele et al., OOPSLA 2014) and the Box–Muller transform.</summary>
internal sealed class NoiseSource(ulong seed)
{
    private ulong _state = seed;
    private double _spare;
    private bool _hasSpare;

    /// <summary>Next 64 random bits.</summary>
    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A standard normal draw.</summary>
    public double NextGaussian()
    {
        if (_hasSpare) { _hasSpare = false; return _spare; }
        double u1 = ((Next() >> 11) + 1) * (1.0 / (1UL << 53)); // (0, 1]: log stays finite
        double u2 = (Next() >> 11) * (1.0 / (1UL << 53));
        double r = Math.Sqrt(-2 * Math.Log(u1));
        _spare = r * Math.Sin(2 * Math.PI * u2);
        _hasSpare = true;
        return r * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Standard normal CDF Φ(x).</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    // Numerical Recipes (3rd ed., §6.2) erfc via Chebyshev fit; relative error < 1.2e-7 everywhere.
    private static double Erfc(double x)
    {
        double z = Math.Abs(x), t = 2 / (2 + z);
        double ans = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
            t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2 - ans;
    }
}
