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
/// against llama.cpp as users run it. The weights load once (<see cref="Open"/>, with an untimed warm-up); each
/// <see cref="Run"/> gets a fresh context (empty KV cache), so <c>bench</c> can alternate its runs with ours.
/// </remarks>
internal sealed class LlamaCppThroughput : IDisposable
{
    private static bool _initialized;
    private readonly LLamaWeights _weights;
    private readonly ModelParams _params;
    private readonly int[] _prompt;
    private readonly int _decodeTokens;

    private LlamaCppThroughput(LLamaWeights weights, ModelParams p, int[] prompt, int decodeTokens)
    {
        _weights = weights;
        _params = p;
        _prompt = prompt;
        _decodeTokens = decodeTokens;
    }

    /// <summary>The llama.cpp native build LLamaSharp loaded (its SIMD level), or null before the first <see cref="Open"/>.</summary>
    public static string? NativeVariant { get; private set; }

    /// <summary>Loads <paramref name="path"/> and runs the untimed warm-up; throws when llama.cpp cannot load or decode the file.</summary>
    public static LlamaCppThroughput Open(string path, int threads, int[] prompt, int decodeTokens)
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
        LLamaWeights weights = LLamaWeights.LoadFromFile(p);
        var session = new LlamaCppThroughput(weights, p, prompt, decodeTokens);
        try
        {
            session.Time(ThroughputBenchmark.WarmupDecodeTokens);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>One timed run: prefill of the prompt, then the decode steps.</summary>
    public ThroughputSample Run() => Time(_decodeTokens);

    private ThroughputSample Time(int decodeTokens)
    {
        using LLamaContext ctx = _weights.CreateContext(_params);
        var batch = new LLamaBatch();
        for (int i = 0; i < _prompt.Length; i++) batch.Add(_prompt[i], i, LLamaSeqId.Zero, i == _prompt.Length - 1);
        long start = Stopwatch.GetTimestamp();
        Check(ctx.Decode(batch));
        double prefill = Stopwatch.GetElapsedTime(start).TotalSeconds;
        start = Stopwatch.GetTimestamp();
        for (int i = 0; i < decodeTokens; i++)
        {
            batch.Clear();
            batch.Add(ThroughputBenchmark.DecodeId(_prompt, i), _prompt.Length + i, LLamaSeqId.Zero, true);
            Check(ctx.Decode(batch));
        }
        return new ThroughputSample(_prompt.Length, prefill, decodeTokens, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    /// <summary>Frees the weights.</summary>
    public void Dispose() => _weights.Dispose();

    private static void Check(DecodeResult r)
    {
        if (r != DecodeResult.Ok) throw new InvalidOperationException($"llama.cpp decode returned {r}");
    }
}
