using System.Text.Json;
using BitRom.Tests.Foundation;
using Xunit;

namespace BitRom.Tests.Cli;

/// <summary><c>bitrom bench</c> end to end on the embedded model: both engines in turn, bandwidth passes between runs.</summary>
public class BenchCommandTests
{
    [Fact]
    public void Bench_EmbeddedModel_ReportsBothEnginesAndTheLimit()
    {
        string model = Path.Combine(ArchitectureTests.RepoRoot(), "models", "kjv-bitnet.gguf");
        string json = Path.Combine(Path.GetTempPath(), $"bitrom-bench-{Guid.NewGuid():N}.json");
        var r = CliRunner.Run("bench", "--model", model, "--threads", "2", "--prompt-len", "8", "--gen-len", "4", "--repeat", "2", "--json", json);
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement root = doc.RootElement;
        Assert.All(root.GetProperty("ours").GetProperty("decode_tokens_per_second").EnumerateArray(), v => Assert.True(v.GetDouble() > 0));
        Assert.Equal(2, root.GetProperty("ours").GetProperty("prefill_tokens_per_second").GetArrayLength());
        // llama.cpp (LLamaSharp's CPU natives ship with the build) runs the same file in turn with ours
        Assert.Equal(2, root.GetProperty("llama_cpp").GetProperty("decode_tokens_per_second").GetArrayLength());
        Assert.True(root.GetProperty("ratio_decode").GetDouble() > 0);
        Assert.False(string.IsNullOrEmpty(root.GetProperty("llama_cpp_native_build").GetString()));
        // one pass before each of our runs and one after the last
        Assert.Equal(3, root.GetProperty("read_bandwidth_passes_bytes_per_second").GetArrayLength());
        Assert.True(root.GetProperty("decode_bytes_per_token").GetInt64() > 5_000_000);
        Assert.True(root.GetProperty("decode_fraction_of_limit").GetDouble() > 0);
        Assert.True(root.GetProperty("decode_fraction_of_limit_paired").GetProperty("median").GetDouble() > 0);
        Assert.True(root.GetProperty("ratio_decode_paired").GetProperty("min").GetDouble() > 0);
        File.Delete(json);
    }

    [Theory]
    [InlineData("bench", "--model", "/no/such/model.gguf")]
    [InlineData("bench", "--arch", "tiny", "--model", "x.gguf")]
    [InlineData("bench")]
    [InlineData("bench", "--arch", "bitnet-b1.58-2b-4t", "--repeat", "0")]
    [InlineData("bench", "--arch", "tiny")]
    public void Bench_BadInput_ExitsTwoWithOneErrorLine(params string[] args)
    {
        CliRunner.AssertFailsWithOneErrorLine(args);
    }
}
