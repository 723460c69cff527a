using System.Diagnostics;
using BitRom.Model.Inference;
using LLama;
using LLama.Common;
using LLama.Native;

namespace BitRom.Cli;

/// <summary>
/// Times llama.cpp (LLamaSharp 0.30.0, CPU backend) on a GGUF file exactly as <see cref="ThroughputBenchmark"/> times
/// our engine: the prompt ids as one batch (logits of the last only), then single-token decode steps with the same ids.
/// </summary>
/// <remarks>
/// llama.cpp keeps its defaults otherwise (f16 K/V cache, its own flash-attention choice): the comparison is
/// against llama.cpp as users run it. Each repeat gets a fresh context (empty KV cache); the weights load once.
/// </remarks>
internal static class LlamaCppThroughput
{
    private static bool _initialized;

    /// <summary>The llama.cpp native build LLamaSharp loaded (its SIMD level), or null before the first run.</summary>
    public static string? NativeVariant { get; private set; }

    /// <summary>Runs the warm-up and <paramref name="repeat"/> timed runs; throws when llama.cpp cannot load or decode the file.</summary>
    public static IReadOnlyList<ThroughputSample> Measure(string path, int threads, int[] prompt, int decodeTokens, int repeat, Action<int>? onRun = null)
    {
        if (!_initialized)
        {
            NativeLogConfig.llama_log_set((level, message) => { });
            NativeApi.llama_empty_call();
            // LLamaSharp picks the widest build this CPU runs (avx512 on an AVX-512 host): say which, since ours is AVX2
            NativeVariant = NativeApi.GetLoadedNativeLibrary(NativeLibraryName.LLama)?.Metadata?.AvxLevel.ToString();
            _initialized = true;
        }
        var p = new ModelParams(path)
        {
            ContextSize = (uint)(prompt.Length + decodeTokens),
            BatchSize = (uint)prompt.Length,
            UBatchSize = (uint)prompt.Length,
            Threads = threads,
            BatchThreads = threads,
            GpuLayerCount = 0,
        };
        using LLamaWeights weights = LLamaWeights.LoadFromFile(p);
        Run(weights, p, prompt, ThroughputBenchmark.WarmupDecodeTokens);
        var samples = new List<ThroughputSample>();
        for (int r = 0; r < repeat; r++)
        {
            onRun?.Invoke(r);
            samples.Add(Run(weights, p, prompt, decodeTokens));
        }
        return samples;
    }

    private static ThroughputSample Run(LLamaWeights weights, ModelParams p, int[] prompt, int decodeTokens)
    {
        using LLamaContext ctx = weights.CreateContext(p);
        var batch = new LLamaBatch();
        for (int i = 0; i < prompt.Length; i++) batch.Add(prompt[i], i, LLamaSeqId.Zero, i == prompt.Length - 1);
        long start = Stopwatch.GetTimestamp();
        Check(ctx.Decode(batch));
        double prefill = Stopwatch.GetElapsedTime(start).TotalSeconds;
        start = Stopwatch.GetTimestamp();
        for (int i = 0; i < decodeTokens; i++)
        {
            batch.Clear();
            batch.Add(ThroughputBenchmark.DecodeId(prompt, i), prompt.Length + i, LLamaSeqId.Zero, true);
            Check(ctx.Decode(batch));
        }
        return new ThroughputSample(prompt.Length, prefill, decodeTokens, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    private static void Check(DecodeResult r)
    {
        if (r != DecodeResult.Ok) throw new InvalidOperationException($"llama.cpp decode returned {r}");
    }
}
