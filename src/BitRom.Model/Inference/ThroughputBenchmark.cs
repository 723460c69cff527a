using System.Diagnostics;
using BitRom.Model.Architectures;
using BitRom.Model.Formats.Gguf;
using BitRom.Model.Synthetic;
using BitRom.Model.Tokenizers;
using BitRom.Numerics.Kernels;

namespace BitRom.Model.Inference;

/// <summary>One timed run: the prompt as one prefill batch, then single-token decode steps.</summary>
/// <param name="PromptTokens">Tokens in the prefill batch.</param>
/// <param name="PrefillSeconds">Wall time of the prefill.</param>
/// <param name="DecodeTokens">Single-token steps after the prefill.</param>
/// <param name="DecodeSeconds">Wall time of all decode steps.</param>
public sealed record ThroughputSample(int PromptTokens, double PrefillSeconds, int DecodeTokens, double DecodeSeconds)
{
    /// <summary>Prefill tokens per second.</summary>
    public double PrefillTokensPerSecond => PromptTokens / PrefillSeconds;

    /// <summary>Decode tokens per second.</summary>
    public double DecodeTokensPerSecond => DecodeTokens / DecodeSeconds;
}

/// <summary>Median and range of repeated measurements.</summary>
public readonly record struct Spread(double Median, double Min, double Max)
{
    /// <summary>Summarizes <paramref name="values"/> (at least one).</summary>
    public static Spread Of(IEnumerable<double> values)
    {
        double[] v = [.. values.Order()];
        if (v.Length == 0) throw new ArgumentException("no measurements");
        double median = v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
        return new Spread(median, v[0], v[^1]);
    }
}

/// <summary>
/// Times our engine the way <c>llama-bench</c> times llama.cpp (pp = one prompt batch, tg = token-by-token
/// generation), and computes the bytes a decode step reads, for the bandwidth-limit comparison of <c>bitrom bench</c>.
/// </summary>
public static class ThroughputBenchmark
{
    /// <summary>Decode steps of the untimed warm-up run (JIT tiers, page faults of mapped weights).</summary>
    public const int WarmupDecodeTokens = 4;

    /// <summary>
    /// Deterministic prompt ids: BOS, then ids drawn from SplitMix64 over the vocabulary, so both engines see the
    /// same ids whatever the tokenizer.
    /// </summary>
    public static int[] PromptIds(ModelConfig c, int length, ulong seed = 1)
    {
        if (length <= 0) throw new ArgumentException($"prompt length {length} must be positive");
        var rng = SplitMix64.ForStream(seed, "bench-prompt");
        var ids = new int[length];
        ids[0] = c.BosToken is >= 0 and var bos && bos < c.VocabSize ? bos : 0;
        for (int i = 1; i < length; i++) ids[i] = (int)(rng.Next() % (ulong)c.VocabSize);
        return ids;
    }

    /// <summary>The ids fed to decode step i: the prompt again, cycled (sampling cost stays out of the timing).</summary>
    public static int DecodeId(int[] prompt, int step) => prompt[step % prompt.Length];

    /// <summary>Runs one untimed warm-up and <paramref name="repeat"/> timed runs of our engine.</summary>
    public static IReadOnlyList<ThroughputSample> MeasureEngine(ModelConfig config, ModelWeights weights, IMatmulBackend backend,
        int[] prompt, int decodeTokens, int repeat, Action<int>? onRun = null)
    {
        if (repeat <= 0 || decodeTokens <= 0) throw new ArgumentException($"repeat {repeat} and gen length {decodeTokens} must be positive");
        int context = prompt.Length + decodeTokens;
        if (context > config.MaxSeqLen) throw new ArgumentException($"prompt + gen = {context} exceeds the model's {config.MaxSeqLen} positions");
        var model = new Transformer(config, weights, backend, context);
        Run(model, prompt, WarmupDecodeTokens);
        var samples = new List<ThroughputSample>();
        for (int r = 0; r < repeat; r++)
        {
            onRun?.Invoke(r);
            samples.Add(Run(model, prompt, decodeTokens));
        }
        return samples;
    }

    private static ThroughputSample Run(Transformer model, int[] prompt, int decodeTokens)
    {
        long start = Stopwatch.GetTimestamp();
        model.Forward(prompt, 0);
        double prefill = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Span<int> token = stackalloc int[1];
        start = Stopwatch.GetTimestamp();
        for (int i = 0; i < decodeTokens; i++)
        {
            token[0] = DecodeId(prompt, i);
            model.Forward(token, prompt.Length + i);
        }
        return new ThroughputSample(prompt.Length, prefill, decodeTokens, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    /// <summary>
    /// ours[r] / theirs[r] for runs taken in turn (pair r adjacent in time): on a machine whose speed drifts, the
    /// spread of these is the honest uncertainty of the ratio, which a ratio of medians taken minutes apart hides.
    /// </summary>
    public static Spread PairedRatios(IReadOnlyList<double> ours, IReadOnlyList<double> theirs)
    {
        if (ours.Count != theirs.Count || ours.Count == 0) throw new ArgumentException($"{ours.Count} and {theirs.Count} runs cannot be paired");
        return Spread.Of(ours.Select((o, r) => o / theirs[r]));
    }

    /// <summary>
    /// Each run's decode speed against the limit implied by the bandwidth measured around it: run r lies between
    /// passes r and r + 1 (bytes/s), whose mean is its bandwidth; limit = bandwidth / bytes per token.
    /// </summary>
    public static Spread PairedFractions(IReadOnlyList<ThroughputSample> ours, IReadOnlyList<double> passes, long bytesPerToken)
    {
        if (passes.Count != ours.Count + 1 || bytesPerToken <= 0) throw new ArgumentException($"{ours.Count} runs need {ours.Count + 1} bandwidth passes, got {passes.Count}");
        return Spread.Of(ours.Select((s, r) => s.DecodeTokensPerSecond * bytesPerToken / ((passes[r] + passes[r + 1]) / 2)));
    }

    /// <summary>
    /// Bytes one decode step at <paramref name="position"/> reads from memory: every ternary matrix's packed codes
    /// (read in place), the head matrix, the norm vectors, one embedding row, and the K and V cache of positions
    /// 0..position (float32). Activations and scratch stay in cache and are not counted.
    /// </summary>
    public static long DecodeBytesPerToken(ModelConfig c, ModelWeights w, int position)
    {
        long bytes = w.TernaryMatrices.Sum(m => m.Packed.Length);
        bytes += w.Head.Data.Length;
        bytes += (long)w.Embedding.RowBytes;
        bytes += sizeof(float) * (w.OutputNorm.Length + w.Layers.Sum(l =>
            (long)l.AttnNorm.Length + l.FfnNorm.Length + (l.AttnSubNorm?.Length ?? 0) + (l.FfnSubNorm?.Length ?? 0)));
        bytes += 2L * c.Layers * (position + 1) * c.KvDim * sizeof(float);
        return bytes;
    }

    /// <summary>
    /// A gpt2-style vocabulary of <see cref="ModelConfig.VocabSize"/> tokens llama.cpp can load, for GGUF files written
    /// from synthetic weights: the 256 GPT-2 byte tokens (<see cref="ByteLevel"/>'s byte-to-unicode map), then unique placeholders. Benchmarks
    /// feed token ids directly, so the strings never matter beyond being loadable.
    /// </summary>
    public static GgufTokenizerData PlaceholderVocabulary(ModelConfig c)
    {
        if (c.VocabSize < 256) throw new ArgumentException($"{c.Name}: a byte-level vocabulary needs >= 256 tokens, the model has {c.VocabSize}");
        var tokens = new string[c.VocabSize];
        for (int b = 0; b < 256; b++) tokens[b] = ByteLevel.Char((byte)b).ToString();
        for (int i = 256; i < tokens.Length; i++) tokens[i] = $"<bench{i}>";
        int[] types = Enumerable.Repeat(1, tokens.Length).ToArray();
        return new GgufTokenizerData("gpt2", tokens, types)
        {
            Pre = "default",
            BosId = c.BosToken is >= 0 and var bos && bos < c.VocabSize ? bos : -1,
            EosId = c.EosToken is >= 0 and var eos && eos < c.VocabSize ? eos : -1,
        };
    }
}
