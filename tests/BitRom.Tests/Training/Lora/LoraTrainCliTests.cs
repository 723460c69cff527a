using System.Text.Json;
using BitRom.Model.Architectures;
using BitRom.Model.Lora;
using BitRom.Tests.Cli;
using Xunit;

namespace BitRom.Tests.Training.Lora;

/// <summary><c>bitrom lora train</c> then <c>bitrom lora eval</c>, end to end on the tiny arch.</summary>
public class LoraTrainCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bitrom-lora-train").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TrainThenEval_WritesLoadableAdapter_AndScoresWithAndWithout()
    {
        string text = Path.Combine(_dir, "corpus.txt"), adapter = Path.Combine(_dir, "a.safetensors"), json = Path.Combine(_dir, "eval.json");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("To be or not to be, that is the question.\n", 20)));
        var t = CliRunner.Run("lora", "train", "--arch", "tiny", "--data", text, "--targets", "v,o,down", "--rank", "4", "--alpha", "8",
            "--steps", "5", "--seq-len", "16", "--batch", "2", "--out", adapter);
        Assert.True(t.ExitCode == 0, t.StdErr);

        LoraAdapter loaded = LoraAdapterFile.Load(adapter, new LoraOptions()).Validate(Presets.Tiny);
        Assert.Equal(4, loaded.Rank);
        Assert.Equal(8f, loaded.Alpha);
        Assert.Equal(3 * Presets.Tiny.Layers, loaded.Modules.Count());

        var e = CliRunner.Run("lora", "eval", "--arch", "tiny", "--lora", adapter, "--text", text, "--lora-quant", "w6a8", "--json", json);
        Assert.True(e.ExitCode == 0, e.StdErr);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement runs = doc.RootElement.GetProperty("runs");
        Assert.Equal(2, runs.GetArrayLength());
        double bare = runs[0].GetProperty("mean_nll").GetDouble(), with = runs[1].GetProperty("mean_nll").GetDouble();
        Assert.True(double.IsFinite(bare) && double.IsFinite(with));
        Assert.NotEqual(bare, with);
        Assert.Equal("w6a8", runs[1].GetProperty("quant").GetString());
    }
}
