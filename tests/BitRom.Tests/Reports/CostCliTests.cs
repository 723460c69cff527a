using System.Diagnostics;
using System.Text.Json.Nodes;
using BitRom.Tests.Cli;
using BitRom.Tests.Foundation;
using Xunit;

namespace BitRom.Tests.Reports;

/// <summary>The report, reproduce and sweep verbs end to end (child process), and the HTML in headless Chromium.</summary>
public sealed class CostCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "bitrom-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Reproduce_PrintsFiveRows_AndWritesJson()
    {
        string json = Path.Combine(_dir, "r.json");
        var r = CliRunner.Run("reproduce", "--json", json);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("20.8 TOPS/W", r.StdOut);
        Assert.Contains("4,967", r.StdOut);
        var doc = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.Equal(1, (int)doc["version"]!);
        Assert.Equal(5, doc["rows"]!.AsArray().Count);
    }

    [Fact]
    public void Report_Arch_WritesBundle_AndHtmlRendersInChromium()
    {
        var r = CliRunner.Run("report", "--arch", "tiny", "--prompt-len", "8", "--gen-len", "8", "--out", _dir);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.True(File.Exists(Path.Combine(_dir, "report.html")));
        Assert.True(File.Exists(Path.Combine(_dir, "roofline.png")));
        string? chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        if (chromium is null) return;   // the screenshot part needs Debian's chromium (.ci installs it)
        string shot = Path.Combine(_dir, "shot.png");
        var psi = new ProcessStartInfo("bash", [Path.Combine(ArchitectureTests.RepoRoot(), "tools", "screenshot-report.sh"), Path.Combine(_dir, "report.html"), shot, "1200"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        Assert.True(p.WaitForExit(120_000), "chromium timed out");
        Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
        Assert.True(new FileInfo(shot).Length > 20_000, "screenshot is suspiciously small");
    }

    [Fact]
    public void Report_WithoutModelOrArch_IsOneLineErrorExit2()
    {
        var r = CliRunner.Run("report", "--out", _dir);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error:", r.StdErr.Trim());
    }

    [Fact]
    public void Sweep_WritesCsvAndParetoPlots()
    {
        Directory.CreateDirectory(_dir);
        string spec = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(spec, "model: tiny\nprompt_len: 8\ngen_len: 8\nmode: random\nsamples: 40\nparameters:\n  edram_kib: [0, 64]\n  node_nm: [65, 7]\n");
        var r = CliRunner.Run("sweep", "--spec", spec, "--out", Path.Combine(_dir, "out"));
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal(41, File.ReadAllLines(Path.Combine(_dir, "out", "sweep.csv")).Length);
        Assert.True(File.Exists(Path.Combine(_dir, "out", "pareto_energy_latency.png")));
    }

    [Fact]
    public void Report_ModelFile_MeasuresItsOwnZeroFraction()
    {
        Directory.CreateDirectory(_dir);
        string gguf = Path.Combine(_dir, "m.gguf"), json = Path.Combine(_dir, "s.json");
        // TQ2_0 packs rows in 256-value blocks: widths are multiples of 256
        var config = BitRom.Model.Architectures.Presets.TinyFalcon3 with { Dim = 256, HiddenDim = 512, Heads = 2, KvHeads = 1, HeadDim = 128 };
        BitRom.Model.Formats.Gguf.GgufModelWriter.Write(gguf, config, BitRom.Model.Synthetic.SyntheticModel.Create(config, 3, 0.5), null);
        var r = CliRunner.Run("report", "--model", gguf, "--prompt-len", "8", "--gen-len", "8", "--no-plots", "--out", Path.Combine(_dir, "out"), "--json", json);
        Assert.True(r.ExitCode == 0, r.StdErr);
        var doc = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.Equal(0.5, (double)doc["model"]!["zero_fraction"]!, 1);   // synthetic weights drawn at 50 % zeros
        Assert.Equal(config.Layers, (int)doc["model"]!["layers"]!);
    }
}
