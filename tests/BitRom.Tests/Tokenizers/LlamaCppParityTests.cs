using System.Text;
using BitRom.Model.Tokenizers;
using LLama;
using LLama.Common;
using LLama.Native;
using Xunit;
using Xunit.Abstractions;

namespace BitRom.Tests.Tokenizers;

/// <summary>
/// Tokenization parity with llama.cpp (LLamaSharp 0.30.0, llama.cpp 815a2a59, FORMATS.md §6): a real byte-level BPE
/// vocabulary (merges learned from <see cref="ParityCorpus.Training"/>) is written as a GGUF <c>gpt2</c> vocabulary,
/// loaded vocab-only by llama.cpp, and every string of <see cref="ParityCorpus.Strings"/> must give identical ids from
/// <see cref="GgufVocab"/>, with and without special-token parsing.
/// </summary>
public class LlamaCppParityTests(ITestOutputHelper output)
{
    /// <summary>Merges learned for the test vocabulary (enough for multi-level merges of common words).</summary>
    private const int MergeCount = 500;

    private static readonly Lazy<(List<string> Tokens, List<(string, string)> Merges)> Trained =
        new(() => BpeTrainer.Train(ParityCorpus.Training(), MergeCount));

    private static (string, Dictionary<string, object>) BuildVocab(string pre)
    {
        var tokens = new List<string>(Trained.Value.Tokens);
        var merges = Trained.Value.Merges;
        var types = Enumerable.Repeat((int)PieceType.Normal, tokens.Count).ToList();
        foreach (string c in ParityCorpus.Controls) { tokens.Add(c); types.Add((int)PieceType.Control); }
        tokens.Add(ParityCorpus.UserDefined);
        types.Add((int)PieceType.UserDefined);
        int bos = tokens.IndexOf("<|begin_of_text|>"), eos = tokens.IndexOf("<|eot_id|>");
        var md = new Dictionary<string, object>
        {
            ["general.architecture"] = "llama",
            ["general.name"] = "bitrom-tokenizer-parity",
            ["llama.context_length"] = 256u,
            ["llama.embedding_length"] = 64u,
            ["llama.block_count"] = 1u,
            ["llama.feed_forward_length"] = 128u,
            ["llama.attention.head_count"] = 4u,
            ["llama.attention.head_count_kv"] = 4u,
            ["llama.attention.layer_norm_rms_epsilon"] = 1e-5f,
            ["llama.vocab_size"] = (uint)tokens.Count,
            ["tokenizer.ggml.model"] = "gpt2",
            ["tokenizer.ggml.pre"] = pre,
            ["tokenizer.ggml.tokens"] = tokens.ToArray(),
            ["tokenizer.ggml.token_type"] = types.ToArray(),
            ["tokenizer.ggml.merges"] = merges.Select(m => m.Item1 + " " + m.Item2).ToArray(),
            ["tokenizer.ggml.bos_token_id"] = (uint)bos,
            ["tokenizer.ggml.eos_token_id"] = (uint)eos,
            ["tokenizer.ggml.add_bos_token"] = true,
        };
        string path = Path.Combine(Path.GetTempPath(), $"bitrom-vocab-{pre}-{Guid.NewGuid():N}.gguf");
        MiniGguf.Write(path, md);
        return (path, md);
    }

    [Theory]
    [InlineData("llama-bpe", "gpt-2")]
    [InlineData("gpt-2", "llama-bpe")]
    public void GgufGpt2Vocab_AtLeast200Strings_IdsEqualLlamaCpp(string pre, string otherPre)
    {
        var (path, md) = BuildVocab(pre);
        var ours = (ByteLevelBpeTokenizer)GgufVocab.Create(md);
        NativeApi.llama_empty_call();
        using LLamaWeights weights = LLamaWeights.LoadFromFile(new ModelParams(path) { VocabOnly = true, GpuLayerCount = 0 });

        List<string> strings = ParityCorpus.Strings();
        Assert.True(strings.Count >= 200, $"{strings.Count} strings");
        // Negative control: the same vocabulary with the other pre-tokenizer must differ from llama.cpp somewhere,
        // or the comparison could not tell pre-tokenizers apart.
        var other = (ByteLevelBpeTokenizer)GgufVocab.Create(new Dictionary<string, object>(md) { ["tokenizer.ggml.pre"] = otherPre });
        int controlDiffs = 0;
        var mismatches = new List<string>();
        int compared = 0, multiTokenMerges = 0;
        foreach (string s in strings)
        {
            foreach (bool special in new[] { true, false })
            {
                int[] expected = weights.Tokenize(s, false, special, Encoding.UTF8).Select(t => (int)t).ToArray();
                int[] got = ours.Encode(s, addBos: false, parseSpecial: special).ToArray();
                compared++;
                if (!expected.SequenceEqual(other.Encode(s, false, special))) controlDiffs++;
                if (got.Any(id => id >= 256 && ours.TokenBytes(id).Length > 1)) multiTokenMerges++;
                if (!expected.SequenceEqual(got))
                    mismatches.Add($"special={special} {Escape(s)}: llama.cpp [{string.Join(",", expected)}] ours [{string.Join(",", got)}]");
            }
        }
        // BOS as the vocabulary asks for it (add_bos_token).
        int[] withBos = weights.Tokenize("Hello world", true, true, Encoding.UTF8).Select(t => (int)t).ToArray();
        Assert.Equal(withBos, ours.Encode("Hello world", addBos: true).ToArray());

        output.WriteLine($"tokenization parity ({pre}): {compared - mismatches.Count}/{compared} encodings of {strings.Count} strings identical; {multiTokenMerges} used merged tokens; {otherPre} control differs on {controlDiffs}");
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(10)));
        Assert.True(controlDiffs > 20, $"{otherPre} pre-tokenization differed on only {controlDiffs} encodings");
        Assert.True(multiTokenMerges > strings.Count / 2, "the vocabulary's merges are barely exercised");
    }

    private static string Escape(string s) => s.Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t");
}
