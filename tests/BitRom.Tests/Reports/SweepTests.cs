using BitRom.Hardware.Cost;
using BitRom.Hardware.Sweep;
using BitRom.Model.Architectures;
using BitRom.Reports;
using Xunit;

namespace BitRom.Tests.Reports;

/// <summary>Sweep specs, point generation, Pareto marking and chip config files.</summary>
public class SweepTests
{
    private const string Grid = "model: tiny\nprompt_len: 8\ngen_len: 8\nmode: grid\nparameters:\n  edram_kib: [0, 64]\n  clock_mhz: [50, 100, 200]\n  policy: [recent, layers]\n";

    [Fact]
    public void Grid_ProducesTheCartesianProduct()
    {
        SweepSpec s = SweepSpec.Parse(Grid, "g.yaml");
        Assert.Equal(12, s.PointCount);
        var points = SweepRunner.Points(s);
        Assert.Equal(12, points.Select(p => string.Join(",", p.Values)).Distinct().Count());
    }

    [Fact]
    public void Random_SameSeed_SamePoints()
    {
        string spec = Grid.Replace("mode: grid", "mode: random\nsamples: 50\nseed: 3");
        var a = SweepRunner.Points(SweepSpec.Parse(spec, "r.yaml"));
        var b = SweepRunner.Points(SweepSpec.Parse(spec, "r.yaml"));
        Assert.Equal(50, a.Count);
        Assert.Equal(a.Select(p => string.Join(",", p.Values)), b.Select(p => string.Join(",", p.Values)));
    }

    [Theory]
    [InlineData("parameters:\n  warp: [1]\n", "unknown parameter 'warp'")]
    [InlineData("parameters:\n  rows: [abc]\n", "not a number")]
    [InlineData("parameters:\n  policy: [sideways]\n", "policy")]
    [InlineData("parameters:\n  dram: [sdr]\n", "sdr")]
    [InlineData("mode: spiral\n", "mode")]
    [InlineData("parameters:\n  kv_bits: [4]\n", "KvBits")]
    public void Parse_BadSpec_ThrowsNamingFileAndField(string yaml, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => SweepSpec.Parse(yaml, "bad.yaml"));
        Assert.Contains("bad.yaml", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Run_EvaluatesEveryPoint_AndMarksANonEmptyFront()
    {
        SweepSpec s = SweepSpec.Parse(Grid, "g.yaml");
        var points = SweepRunner.Run(s, ModelShapes.From(Presets.Tiny), CostConfig.Default);
        Assert.Equal(12, points.Count);
        Assert.Contains(points, p => p.Pareto);
        // doubling the clock halves latency-bound points: faster clock is never slower
        var fast = points.Where(p => p.Values["clock_mhz"] == "200").Min(p => p.LatencyPerTokenSeconds);
        var slow = points.Where(p => p.Values["clock_mhz"] == "50").Min(p => p.LatencyPerTokenSeconds);
        Assert.True(fast < slow);
    }

    [Fact]
    public void MarkPareto_HandMadePoints()
    {
        SweepPoint P(int i, double e, double l, double a) => new(i, new Dictionary<string, string>(), e, l, a, 0, 0, 0, 0, true);
        var marked = SweepRunner.MarkPareto([P(0, 1, 5, 1), P(1, 2, 2, 1), P(2, 3, 3, 1), P(3, 5, 1, 1), P(4, 1, 5, 2)]);
        Assert.Equal([true, true, false, true, false], marked.Select(p => p.Pareto));
    }

    [Fact]
    public void CostConfig_ParsesChipTechnologyAndCalibration()
    {
        const string yaml = "chip:\n  rows: 1024\n  edram_kib: 4096\n  lm_head: dram\ntechnology:\n  tech.vdd: 0.9\ncalibration: 1.5\n";
        CostConfig c = CostConfig.Parse(yaml, "c.yaml");
        Assert.Equal(1024, c.Chip.Rows);
        Assert.Equal(4096L * 1024, c.Chip.EdramBytes);
        Assert.Equal(HeadPlacement.Dram, c.Chip.Head);
        Assert.Equal(0.9, c.Technology.Value("tech", "vdd"));
        Assert.Equal(1.5, c.Calibration);
        Assert.Throws<InvalidDataException>(() => CostConfig.Parse("chip:\n  nope: 1\n", "c.yaml"));
        Assert.Throws<InvalidDataException>(() => CostConfig.Parse("technology:\n  tech.nope: 1\n", "c.yaml"));
        Assert.Throws<InvalidDataException>(() => CostConfig.Parse("calibration: -1\n", "c.yaml"));
    }
}
