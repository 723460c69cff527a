using System.Text.Json;
using BitRom.Model.Architectures;
using BitRom.Model.Lora;
using BitRom.Tests.Cli;
using Xunit;

namespace BitRom.Tests.Lora;

/// <summary><c>bitrom run --lora</c>, <c>bitrom lora apply</c> and the DR eDRAM section of the run summary, end to end.</summary>
public class LoraCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bitrom-lora-cli").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string SaveAdapter(string name, ulong seed)
    {
        string path = Path.Combine(_dir, name + ".safetensors");
        LoraAdapterFile.Save(path, LoraFixtures.Adapter(name, Presets.Tiny, seed, LoraQuantization.W6A8, bRange: 2f));
        return path;
    }

    [Fact]
    public void Run_WithLoraAndEdramOptions_ChangesTextAndReportsDramWithAndWithoutEdram()
    {
        string adapter = SaveAdapter("a", 1), json = Path.Combine(_dir, "run.json"), bare = Path.Combine(_dir, "bare.json");
        var r = CliRunner.Run("run", "--arch", "tiny", "-n", "12", "--temperature", "0", "--lora", adapter, "--edram-capacity", "4KiB", "--kv-bits", "8", "--json", json);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("DRAM B/token decode", r.StdOut);
        var b = CliRunner.Run("run", "--arch", "tiny", "-n", "12", "--temperature", "0", "--json", bare);
        Assert.True(b.ExitCode == 0, b.StdErr);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        using var bareDoc = JsonDocument.Parse(File.ReadAllText(bare));
        Assert.NotEqual(bareDoc.RootElement.GetProperty("tokens").ToString(), doc.RootElement.GetProperty("tokens").ToString());
        JsonElement kv = doc.RootElement.GetProperty("kv_chip");
        Assert.Equal(8, kv.GetProperty("edram").GetProperty("kv_bits").GetInt32());
        Assert.Equal(72, kv.GetProperty("edram").GetProperty("entry_bytes").GetInt32());
        JsonElement dram = kv.GetProperty("dram");
        Assert.True(dram.GetProperty("with_edram").GetProperty("decode").GetProperty("bytes_per_token").GetDouble()
                    < dram.GetProperty("without_edram").GetProperty("decode").GetProperty("bytes_per_token").GetDouble());
        Assert.True(kv.GetProperty("lora").GetProperty("sram_bytes").GetInt64() > 0);
        Assert.True(dram.GetProperty("with_edram").GetProperty("prefill").GetProperty("adapter_load_bytes").GetInt64() > 0);
        Assert.Equal(17, dram.GetProperty("curve").GetArrayLength());
    }

    [Fact]
    public void Run_DefaultModelWithLora_Works()
    {
        // the embedded model when it is shipped (models/kjv-bitnet.gguf), else the CLI's fallback, the tiny arch
        string embedded = Path.Combine(BitRom.Tests.Foundation.ArchitectureTests.RepoRoot(), "models", "kjv-bitnet.gguf");
        ModelConfig config = Presets.Tiny;
        if (File.Exists(embedded))
        {
            using var m = BitRom.Model.Formats.ModelLoader.Load(embedded);
            config = m.Config;
        }
        string path = Path.Combine(_dir, "default.safetensors");
        LoraAdapterFile.Save(path, LoraFixtures.Adapter("default", config, 3, LoraQuantization.W6A8));
        var r = CliRunner.Run("run", "-n", "4", "--lora", path);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("LoRA adapter", r.StdOut);
    }

    [Fact]
    public void LoraApply_TwoAdapters_PrintsThreeOutputsAndAnUnchangedRomHash()
    {
        string a = SaveAdapter("a", 1), b = SaveAdapter("b", 2), json = Path.Combine(_dir, "apply.json");
        var r = CliRunner.Run("lora", "apply", "--arch", "tiny", "--lora", a, "--lora", b, "-n", "10", "--prompt", "Hello", "--json", json);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("unchanged", r.StdOut);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var runs = doc.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(3, runs.Count);
        Assert.Equal(0.0, runs[0].GetProperty("max_abs_logit_delta").GetDouble());
        Assert.True(runs[1].GetProperty("max_abs_logit_delta").GetDouble() > 0);
        Assert.NotEqual(runs[1].GetProperty("tokens").ToString(), runs[2].GetProperty("tokens").ToString());
    }

    [Theory]
    [InlineData("run", "--arch", "tiny", "--lora", "/no/such/adapter.safetensors")]
    [InlineData("run", "--arch", "tiny", "--kv-bits", "4")]
    [InlineData("run", "--arch", "tiny", "--policy", "oldest")]
    [InlineData("run", "--arch", "tiny", "--edram-capacity", "2XB")]
    [InlineData("lora", "apply", "--arch", "tiny")]
    public void BadInput_ExitsTwoWithOneErrorLine(params string[] args)
    {
        CliRunner.AssertFailsWithOneErrorLine(args);
    }

    [Fact]
    public void Run_AdapterForAnotherModel_FailsNamingTheModule()
    {
        string path = Path.Combine(_dir, "wide.safetensors");
        LoraAdapterFile.Save(path, LoraFixtures.Adapter("wide", Presets.TinyOneBit with { HiddenDim = 96 }, 1, LoraQuantization.Fp));
        string error = CliRunner.AssertFailsWithOneErrorLine("run", "--arch", "tiny", "-n", "2", "--lora", path);
        Assert.Contains("module model.layers.", error);
        Assert.Contains("the model's", error);
    }
}
