using System.Text;
using BitRom.Model.Architectures;
using BitRom.Model.Formats;
using BitRom.Model.Formats.Gguf;
using BitRom.Model.Synthetic;
using LLama;
using LLama.Common;
using Xunit;
using Xunit.Abstractions;

namespace BitRom.Tests.Formats.Gguf;

/// <summary>
/// Tokenization parity (issue 3 §5): our GGUF-vocabulary tokenizer against llama.cpp's on the same gpt2-model vocabulary
/// (BPE merges learned in the test from a fixed corpus, two control tokens), for the GPT-2 and Llama-3 pre-tokenizers.
/// </summary>
public sealed class TokenizerParityTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Merges learned from <see cref="Corpus"/> (enough to form whole words, digits groups and code tokens).</summary>
    private const int MergeCount = 400;

    private const string Corpus = """
        In the beginning God created the heaven and the earth. And the earth was without form, and void; and darkness
        was upon the face of the deep. And the Spirit of God moved upon the face of the waters. And God said, Let there
        be light: and there was light. I'm sure they'll say it's done; we've seen what you'd do, don't we?
        for (int i = 0; i < n; i++) { total += values[i] * 2; } // sum the values
        def main(argv): return sum(int(x) for x in argv if x.isdigit())  # 1234567890 3.14159 2,718,281
        Café naïve résumé — “quotes” and ‘single’ … 東京 北京 日本語のテキスト 😀🚀👍🏽 Ünïcödé ñandú Straße
        """;

    private static readonly string[] Fragments =
    [
        "In the beginning", " God", " created", "heaven", "\n", "\n\n", "  ", "   ", "\t", " \t ", "earth.", "And", "light:",
        "123", "4567", "1,000,000", "3.14159", "0x1F", "2026", "I'm", "they'll", "we've", "don't", "YOU'D", "it's",
        "for (int i = 0; i < n; i++)", "{ x += y; }", "// comment", "def f(x):", "    return x", "<|eot_id|>", "<|begin_of_text|>",
        "Café", "naïve", "東京", "日本語", "😀", "🚀👍🏽", "Straße", "ÑANDÚ", "—", "“q”", "…", "?!", "...", "a", "  x  ",
        "\r\n", "tabs\tand\tspaces", "CamelCaseWord", "snake_case_name", "email@example.com", "https://x.org/a?b=c",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("bitrom-tokparity-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Plain BPE training over byte-level words (GPT-2 unicode form), ties broken by ordinal order.</summary>
    private static string[] LearnMerges()
    {
        string[] byteTok = StructuredModel.ByteTokens();
        var words = new Dictionary<string, int>();
        foreach (string w in System.Text.RegularExpressions.Regex.Split(Corpus, @"(?=\s)"))
        {
            string s = string.Concat(Encoding.UTF8.GetBytes(w).Select(b => byteTok[b]));
            if (s.Length > 0) words[s] = words.GetValueOrDefault(s) + 1;
        }
        var split = words.ToDictionary(kv => kv.Key, kv => kv.Key.Select(ch => ch.ToString()).ToList());
        var merges = new List<string>();
        while (merges.Count < MergeCount)
        {
            var pairs = new Dictionary<(string, string), int>();
            foreach (var (w, parts) in split)
                for (int i = 0; i + 1 < parts.Count; i++) pairs[(parts[i], parts[i + 1])] = pairs.GetValueOrDefault((parts[i], parts[i + 1])) + words[w];
            if (pairs.Count == 0) break;
            var best = pairs.OrderByDescending(p => p.Value).ThenBy(p => p.Key.Item1 + " " + p.Key.Item2, StringComparer.Ordinal).First().Key;
            merges.Add(best.Item1 + " " + best.Item2);
            foreach (var parts in split.Values)
                for (int i = 0; i + 1 < parts.Count; i++)
                    if (parts[i] == best.Item1 && parts[i + 1] == best.Item2) { parts[i] += parts[i + 1]; parts.RemoveAt(i + 1); }
        }
        return [.. merges];
    }

    private static GgufTokenizerData Vocabulary(string pre)
    {
        string[] merges = LearnMerges();
        var tokens = StructuredModel.ByteTokens().ToList();
        foreach (string m in merges)
        {
            string t = m.Replace(" ", "");
            if (!tokens.Contains(t)) tokens.Add(t);
        }
        int bos = tokens.Count;
        tokens.Add("<|begin_of_text|>");
        tokens.Add("<|eot_id|>");
        int[] types = [.. tokens.Select((_, i) => i >= bos ? 3 : 1)];
        return new GgufTokenizerData("gpt2", [.. tokens], types) { Merges = merges, Pre = pre, BosId = bos, EosId = bos + 1 };
    }

    private static List<string> Strings()
    {
        var list = new List<string>(Fragments);
        var rng = new SplitMix64(42);
        while (list.Count < 240)
        {
            int n = 2 + (int)(rng.Next() % 4);
            var sb = new StringBuilder();
            for (int i = 0; i < n; i++) sb.Append(Fragments[rng.Next() % (ulong)Fragments.Length]);
            list.Add(sb.ToString());
        }
        return list;
    }

    [Theory]
    [InlineData("gpt-2")]
    [InlineData("llama-bpe")]
    public void GgufVocab_OursVsLlamaCpp_IdenticalIds(string pre)
    {
        GgufTokenizerData vocab = Vocabulary(pre);
        ModelConfig c = StructuredModel.BitNet with { VocabSize = vocab.Tokens.Length, BosToken = vocab.BosId, EosToken = vocab.EosId };
        string path = Path.Combine(_dir, $"vocab-{pre}.gguf");
        GgufModelWriter.Write(path, c, SyntheticModel.Create(c, seed: 1), vocab, Numerics.Quant.QuantType.TQ2_0);
        using LoadedModel ours = ModelLoader.Load(path);
        Assert.NotNull(ours.Tokenizer);
        LlamaCpp.Logits(path, [1]); // initializes the native library
        using LLamaWeights theirs = LLamaWeights.LoadFromFile(new ModelParams(path) { VocabOnly = true, GpuLayerCount = 0 });
        int same = 0;
        var mismatches = new List<string>();
        foreach (string s in Strings())
        {
            int[] want = [.. theirs.Tokenize(s, false, true, Encoding.UTF8).Select(t => (int)t)];
            int[] got = [.. ours.Tokenizer!.Encode(s, addBos: false)];
            if (want.SequenceEqual(got)) same++;
            else mismatches.Add($"{s.ReplaceLineEndings("\\n")}: llama.cpp [{string.Join(",", want)}] ours [{string.Join(",", got)}]");
        }
        output.WriteLine($"pre {pre}: {same} of {same + mismatches.Count} strings identical");
        foreach (string m in mismatches.Take(10)) output.WriteLine(m);
        Assert.Empty(mismatches);
    }
}
