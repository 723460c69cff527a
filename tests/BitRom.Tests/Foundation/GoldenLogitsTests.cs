using System.Text.Json;
using System.Text.Json.Nodes;
using BitRom.Model.Architectures;
using BitRom.Model.Inference;
using BitRom.Model.Synthetic;
using Xunit;

namespace BitRom.Tests.Foundation;

/// <summary>
/// End-to-end golden (llama2.c <c>test_all.py</c>, llm.c <c>test_gpt2.c</c>): the exact float bits of logits of
/// the three tiny families on a fixed prompt, stored in tests/TestData/golden-logits.json. Any change to the
/// numerics contract shows here first. Regenerate deliberately with BITROM_REGENERATE_GOLDEN=1.
/// </summary>
public class GoldenLogitsTests
{
    private const int GoldenVersion = 1;
    private const int LogitsPerPosition = 12;
    private static readonly int[] Prompt = [256, 73, 110, 32, 116, 104, 101, 32, 98, 101, 103, 105, 110];

    [Theory]
    [MemberData(nameof(ForwardTests.Families), MemberType = typeof(ForwardTests))]
    public void Logits_TinyFamilies_MatchGoldenBits(string arch)
    {
        string[] actual = Compute(arch);
        string path = Path.Combine(ArchitectureTests.RepoRoot(), "tests", "TestData", "golden-logits.json");
        if (Environment.GetEnvironmentVariable("BITROM_REGENERATE_GOLDEN") == "1")
        {
            Regenerate(path, arch, actual);
            return;
        }
        var doc = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.True(doc["version"]!.GetValue<int>() == GoldenVersion,
            $"golden file version {doc["version"]} != {GoldenVersion}: HINT re-run with BITROM_REGENERATE_GOLDEN=1 after checking why");
        string[] expect = doc["models"]![arch]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        int first = Enumerable.Range(0, expect.Length).FirstOrDefault(i => i >= actual.Length || actual[i] != expect[i], -1);
        Assert.True(first < 0 && expect.Length == actual.Length,
            first < 0 ? "length differs" : $"{arch}: first mismatch at entry {first} (position {first / LogitsPerPosition}): expected {expect[first]}, got {actual[first]}");
    }

    private static string[] Compute(string arch)
    {
        ModelConfig c = Presets.Get(arch);
        var t = new Transformer(c, SyntheticModel.Create(c, seed: 2024), contextLength: 32);
        float[] logits = t.Forward(Prompt, 0, allLogits: true).ToArray();
        var bits = new List<string>();
        for (int p = 0; p < Prompt.Length; p++)
            for (int i = 0; i < LogitsPerPosition; i++)
                bits.Add(BitConverter.SingleToUInt32Bits(logits[p * c.VocabSize + i]).ToString("X8"));
        return [.. bits];
    }

    private static void Regenerate(string path, string arch, string[] values)
    {
        lock (typeof(GoldenLogitsTests))
        {
            JsonNode doc = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))! : new JsonObject();
            doc["version"] = GoldenVersion;
            doc["produced_by"] = "GoldenLogitsTests with BITROM_REGENERATE_GOLDEN=1: synthetic seed 2024, fixed prompt, first 12 logits per position as float32 bits";
            doc["models"] ??= new JsonObject();
            doc["models"]![arch] = new JsonArray([.. values.Select(v => (JsonNode)v)]);
            File.WriteAllText(path, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
    }
}
