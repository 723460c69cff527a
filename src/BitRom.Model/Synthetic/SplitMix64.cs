namespace BitRom.Model.Synthetic;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood, OOPSLA 2014): a tiny, fast, fully specified generator, so synthetic
/// weights and sampling are identical on every runtime (System.Random's algorithm is an implementation detail).
/// </summary>
public struct SplitMix64
{
    private ulong _state;

    /// <summary>Seeds the generator.</summary>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>Seeds from a seed and a stream name (FNV-1a of the name mixed in), one stream per tensor.</summary>
    public static SplitMix64 ForStream(ulong seed, string stream)
    {
        ulong h = 14695981039346656037UL;
        foreach (char ch in stream) { h ^= ch; h *= 1099511628211UL; }
        var g = new SplitMix64(seed ^ h);
        g.Next();
        return g;
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform float in [0, 1) from the top 24 bits.</summary>
    public float NextFloat() => (Next() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform double in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
}
