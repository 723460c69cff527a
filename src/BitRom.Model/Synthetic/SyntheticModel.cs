using BitRom.Model.Architectures;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Ternary;

namespace BitRom.Model.Synthetic;

/// <summary>
/// Seeded weights at a real model's shapes (DESIGN.md §2 <c>--arch</c>). Trits are drawn straight into packed
/// bytes, never through float copies, so a 7B shape costs its packed size (2 bits per weight) plus bf16 tables.
/// </summary>
public static class SyntheticModel
{
    /// <summary>Default fraction of zero trits (DESIGN.md §2: 1/3, i.e. uniform over {−1, 0, +1}).</summary>
    public const double DefaultZeroFraction = 1.0 / 3.0;

    /// <summary>Generates all weights of <paramref name="config"/> deterministically from <paramref name="seed"/>.</summary>
    public static ModelWeights Create(ModelConfig config, ulong seed = 1, double zeroFraction = DefaultZeroFraction)
    {
        config.Validate();
        if (!(zeroFraction >= 0 && zeroFraction <= 1)) throw new ArgumentException($"zero fraction {zeroFraction} must lie in [0, 1]");
        var layers = new LayerWeights[config.Layers];
        Parallel.For(0, config.Layers, i =>
        {
            TernaryMatrix M(string name, int rows, int cols) => Ternary($"blk.{i}.{name}", rows, cols, seed, zeroFraction);
            layers[i] = new LayerWeights
            {
                AttnNorm = Norm($"blk.{i}.attn_norm", config.Dim, seed),
                Wq = M("attn_q", config.QDim, config.Dim),
                Wk = M("attn_k", config.KvDim, config.Dim),
                Wv = M("attn_v", config.KvDim, config.Dim),
                Wo = M("attn_output", config.Dim, config.QDim),
                AttnSubNorm = config.SubNorms ? Norm($"blk.{i}.attn_sub_norm", config.QDim, seed) : null,
                FfnNorm = Norm($"blk.{i}.ffn_norm", config.Dim, seed),
                WGate = M("ffn_gate", config.HiddenDim, config.Dim),
                WUp = M("ffn_up", config.HiddenDim, config.Dim),
                WDown = M("ffn_down", config.Dim, config.HiddenDim),
                FfnSubNorm = config.SubNorms ? Norm($"blk.{i}.ffn_sub_norm", config.HiddenDim, seed) : null,
            };
        });
        var weights = new ModelWeights
        {
            Embedding = Table("token_embd", config.VocabSize, config.Dim, seed),
            Layers = layers,
            OutputNorm = Norm("output_norm", config.Dim, seed),
            Output = config.TiedEmbeddings ? null : Table("output", config.VocabSize, config.Dim, seed),
        };
        weights.Validate(config);
        return weights;
    }

    /// <summary>
    /// A seeded ternary matrix: each trit is 0 with probability <paramref name="zeroFraction"/>, else ±1 with equal odds.
    /// Scale wEff = 1 / sqrt(K · (1 − zf)) · (1 ± 10 %), which keeps unit-variance inputs at unit variance.
    /// </summary>
    public static TernaryMatrix Ternary(string name, int rows, int cols, ulong seed, double zeroFraction = DefaultZeroFraction)
    {
        var rng = SplitMix64.ForStream(seed, name);
        int rowBytes = TernaryPacking.PackedBytes(cols);
        var packed = new byte[(long)rows * rowBytes];
        uint zeroThreshold = (uint)Math.Min(zeroFraction * (1 << 20), 1 << 20);
        ulong bits = 0;
        int left = 0;
        for (int n = 0; n < rows; n++)
        {
            Span<byte> row = packed.AsSpan(n * rowBytes, rowBytes);
            for (int k = 0; k < cols; k++)
            {
                // 21 bits per trit, three trits per 64-bit draw: 20 bits decide zero, one bit the sign.
                if (left == 0) { bits = rng.Next(); left = 3; }
                uint u = (uint)(bits & 0xFFFFF);
                int sign = (int)((bits >> 20) & 1);
                bits >>= 21;
                left--;
                int code = u < zeroThreshold ? 1 : sign * 2; // code = trit + 1
                row[k >> 2] |= (byte)(code << ((k & 3) * 2));
            }
        }
        float scale = (float)(1.0 / Math.Sqrt(cols * Math.Max(1e-3, 1 - zeroFraction)) * (0.9 + 0.2 * rng.NextDouble()));
        return new TernaryMatrix(name, rows, cols, packed, scale);
    }

    private static float[] Norm(string name, int n, ulong seed)
    {
        var rng = SplitMix64.ForStream(seed, name);
        var w = new float[n];
        for (int i = 0; i < n; i++) w[i] = 0.9f + 0.2f * rng.NextFloat();
        return w;
    }

    /// <summary>A bf16 table (the dtype of real embeddings and heads) of values uniform in [−1, 1).</summary>
    private static DenseMatrix Table(string name, int rows, int cols, ulong seed)
    {
        var bytes = new byte[(long)rows * cols * 2];
        Parallel.For(0, (rows + 1023) / 1024, chunk =>
        {
            var rng = SplitMix64.ForStream(seed, $"{name}#{chunk}");
            int end = Math.Min(rows, (chunk + 1) * 1024);
            for (long i = (long)chunk * 1024 * cols; i < (long)end * cols; i++)
            {
                ushort b = FloatFormats.FloatToBFloat16(rng.NextFloat() * 2f - 1f);
                bytes[2 * i] = (byte)b;
                bytes[2 * i + 1] = (byte)(b >> 8);
            }
        });
        return new DenseMatrix(name, rows, cols, DenseElementType.BF16, bytes);
    }
}
