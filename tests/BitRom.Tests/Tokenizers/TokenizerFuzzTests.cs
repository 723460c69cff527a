using System.Text;
using BitRom.Model.Tokenizers;
using BitRom.Tests.Formats.Hf;
using Xunit;
using Xunit.Abstractions;

namespace BitRom.Tests.Tokenizers;

/// <summary>Mutation fuzzing of tokenizer.json and GGUF vocabulary metadata: parse, then encode and decode with the result.</summary>
public class TokenizerFuzzTests(ITestOutputHelper output)
{
    private const string Probe = "<|begin_of_text|>Hello the 12345 😀a\n\n  x's<|eot_id|>";

    [Fact]
    public void TokenizerJson_Mutations_OnlyDocumentedExceptions()
    {
        byte[] valid = Encoding.UTF8.GetBytes(HfTokenizerJsonTests.Json(mergesAsPairs: false));
        HfFuzzTests.Run(HfFuzzTests.CasesPerFormat, 21, valid, json: true, b =>
        {
            ByteLevelBpeTokenizer t = HfTokenizerJson.Parse(b, "tokenizer.json");
            IReadOnlyList<int> ids = t.Encode(Probe, addBos: false);
            t.Decode(ids);
        }, output, "tokenizer.json");
    }

    [Fact]
    public void TokenizerJson_PairMerges_Mutations_OnlyDocumentedExceptions()
    {
        byte[] valid = Encoding.UTF8.GetBytes(HfTokenizerJsonTests.Json(mergesAsPairs: true));
        HfFuzzTests.Run(HfFuzzTests.CasesPerFormat / 4, 22, valid, json: true, b => HfTokenizerJson.Parse(b, "tokenizer.json").Encode(Probe, false), output, "tokenizer.json (pairs)");
    }

    /// <summary>Hostile replacements for one metadata value: wrong types, empty and sparse arrays, huge ids.</summary>
    private static object Hostile(Mutator m, object original) => m.Next(12) switch
    {
        0 => "gpt2",
        1 => "llama",
        2 => uint.MaxValue,
        3 => -5,
        4 => Array.Empty<string>(),
        5 => new object[] { "a", 3, null! },
        6 => new[] { 99, -1, 7 },
        7 => new[] { "a b", " ", "a", "a b c", "" },
        8 => new[] { 1.5f, float.NaN },
        9 => original is string[] arr && arr.Length > 0 ? arr.Select((x, i) => i % 7 == 3 ? "" : x).ToArray() : "x",
        10 => original is int[] ints ? ints.Select((x, i) => i % 11 == 5 ? m.Next(9) - 1 : x).ToArray() : 1u,
        _ => original is Array a ? a.Cast<object>().Take(m.Next(a.Length + 1)).ToArray() : true,
    };

    [Fact]
    public void GgufVocabMetadata_Mutations_OnlyDocumentedExceptions()
    {
        Dictionary<string, object> gpt2 = GgufVocabTests.Gpt2Metadata(typedArrays: true), llama = SentencePieceTests.GgufMetadata();
        int i = 0;
        HfFuzzTests.Run(HfFuzzTests.CasesPerFormat, 23, m =>
        {
            var md = new Dictionary<string, object>(i++ % 4 == 0 ? llama : gpt2);
            int edits = 1 + m.Next(2);
            for (int e = 0; e < edits; e++)
            {
                string key = md.Keys.ElementAt(m.Next(md.Count));
                if (m.Next(8) == 0) md.Remove(key);
                else md[key] = Hostile(m, md[key]);
            }
            return md;
        }, md =>
        {
            ITokenizer t = GgufVocab.Create(md);
            t.Decode(t.Encode(Probe, addBos: true));
        }, output, "GGUF vocab metadata");
    }
}
