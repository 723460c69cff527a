using LLama;
using LLama.Common;
using LLama.Native;

namespace BitRom.Tests.Formats.Gguf;

/// <summary>
/// llama.cpp through LLamaSharp 0.30.0 (llama.cpp 815a2a59, FORMATS.md §6), CPU only, as a logits anchor.
/// K/V cache in F32 and flash attention off, so llama.cpp's attention is float32 like ours.
/// </summary>
internal static class LlamaCpp
{
    private static readonly Lock Gate = new();
    private static bool _initialized;

    private static void Init()
    {
        lock (Gate)
        {
            if (_initialized) return;
            NativeLogConfig.llama_log_set((level, message) => { });
            NativeApi.llama_empty_call();
            _initialized = true;
        }
    }

    /// <summary>Logits (tokens, vocab) of one decode of <paramref name="tokens"/> at positions 0.., every position requested.</summary>
    public static float[] Logits(string path, int[] tokens)
    {
        Init();
        var p = new ModelParams(path)
        {
            ContextSize = 256, BatchSize = 256, UBatchSize = 256, Threads = 1, BatchThreads = 1, GpuLayerCount = 0,
            TypeK = GGMLType.GGML_TYPE_F32, TypeV = GGMLType.GGML_TYPE_F32, FlashAttention = false,
        };
        using LLamaWeights w = LLamaWeights.LoadFromFile(p);
        using LLamaContext ctx = w.CreateContext(p);
        var batch = new LLamaBatch();
        for (int i = 0; i < tokens.Length; i++) batch.Add(tokens[i], i, LLamaSeqId.Zero, true);
        DecodeResult r = ctx.Decode(batch);
        if (r != DecodeResult.Ok) throw new InvalidOperationException($"llama.cpp decode of {path}: {r}");
        int vocab = w.Vocab.Count;
        var all = new float[tokens.Length * vocab];
        for (int i = 0; i < tokens.Length; i++) ctx.NativeHandle.GetLogitsIth(i).CopyTo(all.AsSpan(i * vocab, vocab));
        return all;
    }

    /// <summary>llama.cpp's quantizer (<c>llama_model_quantize</c>); embeddings kept at Q8_0 so our reader can map them.</summary>
    public static void Quantize(string input, string output, LLamaFtype ftype)
    {
        Init();
        var q = LLamaModelQuantizeParams.Default();
        q.ftype = ftype;
        q.nthread = 1;
        q.token_embedding_type = GGMLType.GGML_TYPE_Q8_0;
        q.output_tensor_type = GGMLType.GGML_TYPE_Q8_0;
        uint rc = NativeApi.llama_model_quantize(input, output, ref q);
        if (rc != 0) throw new InvalidOperationException($"llama_model_quantize({input}) returned {rc}");
    }
}
