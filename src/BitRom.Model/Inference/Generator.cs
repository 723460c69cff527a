using System.Diagnostics;
using BitRom.Model.Tokenizers;

namespace BitRom.Model.Inference;

/// <summary>Timings and tokens of one generation.</summary>
public sealed record GenerationResult(
    IReadOnlyList<int> PromptTokens,
    IReadOnlyList<int> GeneratedTokens,
    string Text,
    double PrefillSeconds,
    double DecodeSeconds)
{
    /// <summary>Prompt tokens per second of prefill.</summary>
    public double PrefillTokensPerSecond => PrefillSeconds > 0 ? PromptTokens.Count / PrefillSeconds : 0;

    /// <summary>Generated tokens per second of decode (the first generated token comes from prefill's logits).</summary>
    public double DecodeTokensPerSecond => DecodeSeconds > 0 ? Math.Max(0, GeneratedTokens.Count - 1) / DecodeSeconds : 0;
}

/// <summary>The generation loop: prefill the prompt in batches, then decode token by token.</summary>
public sealed class Generator
{
    /// <summary>Prompt tokens run per prefill batch (one GEMM per matrix per batch).</summary>
    public const int PrefillBatch = 64;

    private readonly Transformer _model;
    private readonly ITokenizer _tokenizer;

    /// <summary>Creates a generator over a model and its tokenizer.</summary>
    public Generator(Transformer model, ITokenizer tokenizer)
    {
        _model = model;
        _tokenizer = tokenizer;
    }

    /// <summary>
    /// Generates up to <paramref name="maxTokens"/> tokens after <paramref name="prompt"/> (BOS added when the vocabulary has one),
    /// stopping at EOS or the context length. <paramref name="onToken"/> sees each new token as it is chosen.
    /// </summary>
    public GenerationResult Generate(string prompt, int maxTokens, SamplerOptions sampling, Action<int>? onToken = null, Func<int, bool>? stop = null)
    {
        if (maxTokens < 0) throw new ArgumentException($"token count {maxTokens} must be >= 0");
        int[] promptIds = [.. _tokenizer.Encode(prompt, addBos: true)];
        if (promptIds.Length == 0) throw new ArgumentException("the prompt is empty and the model has no BOS token");
        if (promptIds.Length >= _model.ContextLength)
            throw new ArgumentException($"the prompt has {promptIds.Length} tokens; the context holds {_model.ContextLength}");
        return Generate(promptIds, maxTokens, sampling, onToken, stop);
    }

    /// <summary>As <see cref="Generate(string, int, SamplerOptions, Action{int}, Func{int, bool})"/>, from token ids.</summary>
    /// <remarks><paramref name="stop"/> ends generation after a token for which it returns true (e.g. a chat end-of-turn).</remarks>
    public GenerationResult Generate(int[] promptIds, int maxTokens, SamplerOptions sampling, Action<int>? onToken = null, Func<int, bool>? stop = null)
    {
        var sampler = new Sampler(sampling);
        var history = new List<int>(promptIds);
        var generated = new List<int>();

        // prefill: the prompt in batches; the last batch's logits choose the first new token
        var clock = Stopwatch.StartNew();
        ReadOnlySpan<float> logits = default;
        for (int start = 0; start < promptIds.Length; start += PrefillBatch)
        {
            int n = Math.Min(PrefillBatch, promptIds.Length - start);
            logits = _model.Forward(promptIds.AsSpan(start, n), start);
        }
        double prefill = clock.Elapsed.TotalSeconds;

        // decode: one token at a time
        clock.Restart();
        int pos = promptIds.Length;
        int[] one = new int[1];
        for (int i = 0; i < maxTokens; i++)
        {
            int next = sampler.Sample(logits, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(history));
            generated.Add(next);
            history.Add(next);
            onToken?.Invoke(next);
            if (next == _tokenizer.EosToken || stop?.Invoke(next) == true || pos >= _model.ContextLength || i == maxTokens - 1) break;
            one[0] = next;
            logits = _model.Forward(one, pos++);
        }
        double decode = clock.Elapsed.TotalSeconds;
        return new GenerationResult(promptIds, generated, _tokenizer.Decode(generated), prefill, decode);
    }
}
