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
        var baseMd = GgufVocabTests.Gpt2Metadata(typedArrays: true);
        var spPieces = SentencePieceTests.Pieces();
        var spMd = new Dictionary<string, object>
        {
            ["tokenizer.ggml.model"] = "llama",
            ["tokenizer.ggml.tokens"] = spPieces.Select(x => x.Text).ToArray(),
            ["tokenizer.ggml.scores"] = spPieces.Select(x => x.Score).ToArray(),
            ["tokenizer.ggml.token_type"] = spPieces.Select(x => (int)x.Type).ToArray(),
            ["tokenizer.ggml.bos_token_id"] = 1u,
            ["tokenizer.ggml.eos_token_id"] = 2u,
        };
        var m = new Mutator(23);
        int parsed = 0, rejected = 0;
        for (int i = 0; i < HfFuzzTests.CasesPerFormat; i++)
        {
            var md = new Dictionary<string, object>(i % 4 == 0 ? spMd : baseMd);
            int edits = 1 + m.Next(2);
            for (int e = 0; e < edits; e++)
            {
                string key = md.Keys.ElementAt(m.Next(md.Count));
                if (m.Next(8) == 0) md.Remove(key);
                else md[key] = Hostile(m, md[key]);
            }
            try
            {
                ITokenizer t = GgufVocab.Create(md);
                t.Decode(t.Encode(Probe, addBos: true));
                parsed++;
            }
            catch (Exception ex) when (ex is InvalidDataException or ArgumentException)
            {
                rejected++;
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"GGUF vocab case {i}: unexpected {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
            }
        }
        output.WriteLine($"GGUF vocab metadata: {HfFuzzTests.CasesPerFormat} cases, {parsed} parsed, {rejected} rejected");
        Assert.True(rejected > HfFuzzTests.CasesPerFormat / 10);
    }
}
