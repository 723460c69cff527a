using System.Text.Json;
using Xunit;

namespace BitRom.Tests.Cli;

public class RunCommandTests
{
    [Fact]
    public void Run_TinyArch_ExitsZeroAndWritesJson()
    {
        string json = Path.Combine(Path.GetTempPath(), $"bitrom-run-{Guid.NewGuid():N}.json");
        var r = CliRunner.Run("run", "--arch", "tiny", "-n", "8", "--temperature", "0", "--json", json);
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(8, doc.RootElement.GetProperty("tokens").GetArrayLength());
        Assert.True(doc.RootElement.TryGetProperty("text", out _));
        Assert.True(doc.RootElement.GetProperty("timings").GetProperty("decode_tokens_per_second").GetDouble() > 0);
        File.Delete(json);
    }

    [Theory]
    [InlineData("run", "--arch", "no-such-arch")]
    [InlineData("run", "--model", "/no/such/model.gguf")]
    [InlineData("run", "--no-such-option")]
    [InlineData("run", "--arch", "tiny", "--top-p", "0")]
    public void Run_BadInput_ExitsTwoWithOneErrorLine(params string[] args)
    {
        CliRunner.AssertFailsWithOneErrorLine(args);
    }

    [Fact]
    public void Run_Help_ExitsZero()
    {
        var r = CliRunner.Run("run", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("--backend", r.StdOut);
    }
}
