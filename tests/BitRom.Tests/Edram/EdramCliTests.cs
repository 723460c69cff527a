using System.Text.Json;
using BitRom.Tests.Cli;
using Xunit;

namespace BitRom.Tests.Edram;

/// <summary>The DR eDRAM options of <c>bitrom run</c>: retention failures reach the generated text only when enabled.</summary>
public class EdramCliTests
{
    private static JsonElement Run(string json, params string[] extra)
    {
        var r = CliRunner.Run(["run", "--arch", "tiny", "-n", "24", "--temperature", "0", "--json", json, .. extra]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        File.Delete(json);
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Run_RetentionFailures_ClearKvBitsAndChangeTokens_OnlyWhenEnabled()
    {
        string json = Path.Combine(Path.GetTempPath(), $"bitrom-edram-{Guid.NewGuid():N}.json");
        JsonElement plain = Run(json, "--token-period", "0.02");
        JsonElement failing = Run(json, "--token-period", "0.02", "--retention-failure", "0.05");
        JsonElement inTime = Run(json, "--token-period", "0.005", "--retention-failure", "0.05");

        Assert.Equal(0, plain.GetProperty("kv_chip").GetProperty("edram").GetProperty("kv_bits_cleared").GetInt64());
        Assert.True(plain.GetProperty("kv_chip").GetProperty("edram").GetProperty("counts").GetProperty("EdramRefresh").GetInt64() > 0);
        Assert.True(failing.GetProperty("kv_chip").GetProperty("edram").GetProperty("kv_bits_cleared").GetInt64() > 0);
        Assert.NotEqual(plain.GetProperty("tokens").ToString(), failing.GetProperty("tokens").ToString());
        // 5 ms tokens against 10 ms retention: decode reads keep every row, nothing fails
        Assert.Equal(0, inTime.GetProperty("kv_chip").GetProperty("edram").GetProperty("kv_bits_cleared").GetInt64());
        Assert.Equal(plain.GetProperty("tokens").ToString(), inTime.GetProperty("tokens").ToString());
    }
}
