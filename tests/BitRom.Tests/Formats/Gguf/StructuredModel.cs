using BitRom.Model.Architectures;
using BitRom.Model.Formats.Gguf;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Quant;
using BitRom.Numerics.Ternary;

namespace BitRom.Tests.Formats.Gguf;

/// <summary>
/// Small models with structured (formula-defined, non-random) weights and a minimal real gpt2-model vocabulary,
/// for the llama.cpp cross-check. Widths are multiples of 256 so every ternary tensor is whole TQ blocks.
/// </summary>
internal static class StructuredModel
{
    /// <summary>256 byte tokens + these merges (each merge's result is one more token).</summary>
    private static readonly string[] Merges = ["Ġ t", "h e", "Ġt he", "i n", "a n", "e r", "o n", "Ġ a"];

    /// <summary>Vocabulary size: 256 bytes + 8 merged tokens.</summary>
    public const int Vocab = 264;

    /// <summary>bitnet arch: sub-norms, SiLU (1bitLLM style), tied.</summary>
    public static readonly ModelConfig BitNet = new()
    {
        Name = "xcheck-bitnet", Family = ModelFamily.OneBitLlm, Dim = 256, Layers = 2, Heads = 4, KvHeads = 2, HeadDim = 64,
        HiddenDim = 512, VocabSize = Vocab, MaxSeqLen = 256, RopeTheta = 10000, NormEps = 1e-5f,
        Activation = FfnActivation.Silu, SubNorms = true, TiedEmbeddings = true,
    };

    /// <summary>llama arch: Falcon3 style, untied head, HF (NEOX) row order before export.</summary>
    public static readonly ModelConfig Llama = BitNet with
    {
        Name = "xcheck-llama", Family = ModelFamily.Falcon3, SubNorms = false, TiedEmbeddings = false, RopeTheta = 1000042, NormEps = 1e-6f,
    };

    /// <summary>GPT-2 bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 onwards in byte order.</summary>
    public static string[] ByteTokens()
    {
        var tokens = new string[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            tokens[b] = ((char)(printable ? b : next++)).ToString();
        }
        return tokens;
    }

    /// <summary>A real gpt2-model vocabulary llama.cpp loads: byte tokens, merge tokens, merges.</summary>
    public static GgufTokenizerData Vocabulary()
    {
        var tokens = ByteTokens().Concat(Merges.Select(m => m.Replace(" ", ""))).ToArray();
        return new GgufTokenizerData("gpt2", tokens, Enumerable.Repeat(1, tokens.Length).ToArray()) { Merges = Merges, Pre = "gpt-2" };
    }

    /// <summary>Weights defined by formulas of (layer, matrix, row, column); embeddings in <paramref name="tableType"/>.</summary>
    public static ModelWeights Weights(ModelConfig c, DenseElementType tableType = DenseElementType.F32)
    {
        var layers = new LayerWeights[c.Layers];
        for (int l = 0; l < c.Layers; l++)
        {
            TernaryMatrix M(int m, int rows, int cols) => Ternary($"blk.{l}.m{m}", l, m, rows, cols);
            layers[l] = new LayerWeights
            {
                AttnNorm = Norm(c.Dim, l, 0),
                Wq = M(0, c.QDim, c.Dim), Wk = M(1, c.KvDim, c.Dim), Wv = M(2, c.KvDim, c.Dim), Wo = M(3, c.Dim, c.QDim),
                AttnSubNorm = c.SubNorms ? Norm(c.QDim, l, 1) : null,
                FfnNorm = Norm(c.Dim, l, 2),
                WGate = M(4, c.HiddenDim, c.Dim), WUp = M(5, c.HiddenDim, c.Dim), WDown = M(6, c.Dim, c.HiddenDim),
                FfnSubNorm = c.SubNorms ? Norm(c.HiddenDim, l, 3) : null,
            };
        }
        return new ModelWeights
        {
            Embedding = Table("token_embd", c.VocabSize, c.Dim, 0.37, 0.11, tableType),
            Layers = layers,
            OutputNorm = Norm(c.Dim, c.Layers, 4),
            Output = c.TiedEmbeddings ? null : Table("output", c.VocabSize, c.Dim, 0.21, 0.17, tableType),
        };
    }

    private static TernaryMatrix Ternary(string name, int l, int m, int rows, int cols)
    {
        var trits = new sbyte[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < cols; k++)
            {
                // a quadratic residue pattern: about a third zeros, no row or column repeats
                int v = (r * r * 3 + k * 7 + r * k * (m + 2) + l * 5 + m * 11) % 23;
                trits[r * cols + k] = (sbyte)(v < 8 ? -1 : v < 15 ? 0 : 1);
            }
        float scale = (float)(1.5 / Math.Sqrt(cols) * (1 + 0.07 * m + 0.03 * l));
        return TernaryMatrix.FromTrits(name, rows, cols, trits, scale);
    }

    private static float[] Norm(int n, int l, int which)
    {
        var w = new float[n];
        for (int i = 0; i < n; i++) w[i] = 1f + 0.25f * MathF.Sin(0.13f * i + l + 0.7f * which);
        return w;
    }

    private static DenseMatrix Table(string name, int rows, int cols, double a, double b, DenseElementType type)
    {
        var v = new float[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) v[r * cols + c] = (float)(Math.Sin(a * r + b * c + 0.5 * Math.Cos(c)) * 0.8);
        QuantType qt = type switch { DenseElementType.F16 => QuantType.F16, DenseElementType.BF16 => QuantType.BF16, DenseElementType.Q8_0 => QuantType.Q8_0, _ => QuantType.F32 };
        var bytes = new byte[QuantTypeTraits.TensorBytes(qt, v.Length, cols)];
        int rowBytes = bytes.Length / rows;
        for (int r = 0; r < rows; r++) QuantTypeTraits.Get(qt).QuantizeReference!(v.AsSpan(r * cols, cols), bytes.AsSpan(r * rowBytes, rowBytes));
        return new DenseMatrix(name, rows, cols, type, bytes);
    }
}
