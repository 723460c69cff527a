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
}
