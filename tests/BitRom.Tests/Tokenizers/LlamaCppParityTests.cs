using System.Text;
using BitRom.Model.Formats.Gguf;
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

    /// <summary>The trained vocabulary as GGUF tokenizer data: merge results, then control tokens, then one user-defined token.</summary>
    internal static GgufTokenizerData VocabData(string pre)
    {
        var tokens = new List<string>(Trained.Value.Tokens);
        var types = Enumerable.Repeat((int)PieceType.Normal, tokens.Count).ToList();
        foreach (string c in ParityCorpus.Controls) { tokens.Add(c); types.Add((int)PieceType.Control); }
        tokens.Add(ParityCorpus.UserDefined);
        types.Add((int)PieceType.UserDefined);
        return new GgufTokenizerData("gpt2", tokens.ToArray(), types.ToArray())
        {
            Merges = Trained.Value.Merges.Select(m => m.Item1 + " " + m.Item2).ToArray(),
            Pre = pre,
            BosId = tokens.IndexOf("<|begin_of_text|>"),
            EosId = tokens.IndexOf("<|eot_id|>"),
            AddBos = true,
        };
    }

    /// <summary>A vocabulary-only GGUF (llama arch hyper-parameters, no tensors) written with <see cref="GgufWriter"/> and read back.</summary>
    private static (string, IReadOnlyDictionary<string, object>) BuildVocab(string pre)
    {
        GgufTokenizerData vocab = VocabData(pre);
        GgufWriter w = HyperParameters(new GgufWriter(), vocab.Tokens.Length);
        vocab.WriteTo(w);
        string path = Path.Combine(Path.GetTempPath(), $"bitrom-vocab-{pre}-{Guid.NewGuid():N}.gguf");
        w.Write(path);
        using GgufFile f = GgufFile.Open(path);
        return (path, new Dictionary<string, object>(f.Metadata));
    }

    [Theory]
    [InlineData("llama-bpe", "gpt-2")]
    [InlineData("gpt-2", "llama-bpe")]
    public void GgufGpt2Vocab_AtLeast200Strings_IdsEqualLlamaCpp(string pre, string otherPre)
    {
        var (path, md) = BuildVocab(pre);
        try
        {
            Compare(path, md, pre, otherPre);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private void Compare(string path, IReadOnlyDictionary<string, object> md, string pre, string otherPre)
    {
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

    /// <summary>
    /// The same vocabulary as an HF tokenizer.json (Llama-3 layout, original <c>(?i:…)</c> pattern, merges as pairs):
    /// the tokenizer.json path of 2B4T/Falcon3 folders gives llama.cpp's ids too.
    /// </summary>
    [Fact]
    public void TokenizerJson_SameVocab_IdsEqualLlamaCpp()
    {
        GgufTokenizerData v = VocabData("llama-bpe");
        var vocab = new Dictionary<string, int>();
        var specials = new List<SpecialToken>();
        for (int id = 0; id < v.Tokens.Length; id++)
        {
            if (v.TokenTypes[id] == (int)PieceType.Normal) vocab[v.Tokens[id]] = id;
            else specials.Add(new SpecialToken(id, v.Tokens[id], Control: v.TokenTypes[id] == (int)PieceType.Control));
        }
        string json = HfTokenizerJsonTests.Json(vocab, Trained.Value.Merges, specials, mergesAsPairs: true);
        ByteLevelBpeTokenizer hf = HfTokenizerJson.Parse(Encoding.UTF8.GetBytes(json), "tokenizer.json", v.BosId, v.EosId);

        var (path, _) = BuildVocab("llama-bpe");
        try
        {
            NativeApi.llama_empty_call();
            using LLamaWeights weights = LLamaWeights.LoadFromFile(new ModelParams(path) { VocabOnly = true, GpuLayerCount = 0 });
            List<string> strings = ParityCorpus.Strings();
            var mismatches = strings
                .Select(s => (s, expected: weights.Tokenize(s, false, true, Encoding.UTF8).Select(t => (int)t).ToArray(), got: hf.Encode(s, false).ToArray()))
                .Where(x => !x.expected.SequenceEqual(x.got))
                .Select(x => $"{Escape(x.s)}: llama.cpp [{string.Join(",", x.expected)}] tokenizer.json [{string.Join(",", x.got)}]")
                .ToList();
            output.WriteLine($"tokenizer.json parity: {strings.Count - mismatches.Count}/{strings.Count} strings identical");
            Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(10)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// A GGUF <c>llama</c> (SentencePiece) vocabulary, <see cref="SentencePieceTests.Pieces"/>, through Microsoft.ML.Tokenizers
    /// against llama.cpp's SPM tokenizer: the parity strings plus control tokens in text (llama.cpp re-adds the
    /// dummy-prefix space after each special token, which the adapter reproduces by encoding fragments separately).
    /// </summary>
    [Fact]
    public void GgufLlamaVocab_IdsEqualLlamaCpp()
    {
        List<Piece> pieces = SentencePieceTests.Pieces();
        var data = new GgufTokenizerData("llama", pieces.Select(p => p.Text).ToArray(), pieces.Select(p => (int)p.Type).ToArray())
        {
            Scores = pieces.Select(p => p.Score).ToArray(), BosId = 1, EosId = 2,
        };
        var w = HyperParameters(new GgufWriter(), pieces.Count).Add("tokenizer.ggml.unknown_token_id", 0u);
        data.WriteTo(w);
        string path = Path.Combine(Path.GetTempPath(), $"bitrom-spm-{Guid.NewGuid():N}.gguf");
        w.Write(path);
        try
        {
            ITokenizer ours = GgufVocab.Create(SentencePieceTests.GgufMetadata());
            NativeApi.llama_empty_call();
            using LLamaWeights weights = LLamaWeights.LoadFromFile(new ModelParams(path) { VocabOnly = true, GpuLayerCount = 0 });
            List<string> strings = [.. ParityCorpus.Strings(), "<s>hello</s>", "a <s> b", "</s>", "x</s><s>y", "hello world"];
            var mismatches = new List<string>();
            int byteFallbacks = 0, merged = 0;
            foreach (string s in strings)
            {
                int[] expected = weights.Tokenize(s, false, true, Encoding.UTF8).Select(t => (int)t).ToArray();
                int[] got = ours.Encode(s, addBos: false).ToArray();
                if (got.Any(id => id is >= 3 and < 259)) byteFallbacks++;
                if (got.Any(id => id >= 259 + 8)) merged++;
                if (!expected.SequenceEqual(got)) mismatches.Add($"{Escape(s)}: llama.cpp [{string.Join(",", expected)}] ours [{string.Join(",", got)}]");
            }
            output.WriteLine($"SentencePiece parity: {strings.Count - mismatches.Count}/{strings.Count} strings identical ({byteFallbacks} with byte fallback, {merged} with merged pieces)");
            Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(10)));
            Assert.True(byteFallbacks > 100 && merged > 10, "the vocabulary's byte fallback and merges are barely exercised");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The llama-arch hyper-parameters llama.cpp reads even when loading only the vocabulary.</summary>
    private static GgufWriter HyperParameters(GgufWriter w, int vocabSize) => w
        .Add("general.architecture", "llama")
        .Add("general.name", "bitrom-tokenizer-parity")
        .Add("llama.context_length", 256u)
        .Add("llama.embedding_length", 64u)
        .Add("llama.block_count", 1u)
        .Add("llama.feed_forward_length", 128u)
        .Add("llama.attention.head_count", 4u)
        .Add("llama.attention.head_count_kv", 4u)
        .Add("llama.attention.layer_norm_rms_epsilon", 1e-5f)
        .Add("llama.vocab_size", (uint)vocabSize);

    private static string Escape(string s) => s.Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t");
}
