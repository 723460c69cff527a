using BitRom.Hardware.Components;
using BitRom.Hardware.Mapping;
using Xunit;

namespace BitRom.Tests.Hardware;

public class RomCompilerTests
{
    private static readonly ChipConfig Paper = ChipConfig.Default;

    [Fact]
    public void Compile_K2048Matrix_UsesOutputsExtension()
    {
        // Falcon3-1B q_proj: [2048 x 2048]. Inputs extension would leave every plane B empty (2 macros); outputs: 1.
        RomMapping m = RomCompiler.Compile([new MatrixShape("blk.0.attn_q", 2048, 2048, 1f)], Paper);
        Assert.Equal(PlaneAssignment.Outputs, m.Matrices[0].Assignment);
        Assert.Single(m.Macros);
        Assert.Equal(1.0, m.Utilization, 12);
    }

    [Fact]
    public void Compile_WideInputs_UsesInputsExtension()
    {
        // down_proj [2048 x 8192]: 4 input blocks x 2 output blocks; inputs: 2 x 2 = 4 macros; outputs: 4 x 1 = 4: tie -> inputs.
        RomMapping m = RomCompiler.Compile([new MatrixShape("blk.0.ffn_down", 2048, 8192, 1f)], Paper);
        Assert.Equal(PlaneAssignment.Inputs, m.Matrices[0].Assignment);
        Assert.Equal(4, m.Macros.Count);
        Assert.All(m.Macros, p => Assert.True(p.PlanesMerge));
    }

    [Fact]
    public void Compile_Pack_FillsLonePlanes()
    {
        MatrixShape[] shapes = [new("a", 1024, 2048, 1f), new("b", 1024, 2048, 1f), new("c", 512, 100, 1f)];
        RomMapping loose = RomCompiler.Compile(shapes, Paper);
        RomMapping packed = RomCompiler.Compile(shapes, Paper with { Pack = true });
        Assert.Equal(3, loose.Macros.Count);
        Assert.Equal(2, packed.Macros.Count);
        Assert.Equal(new PlaneBlock(1, 0, 0), packed.Macros[0].B);
        Assert.False(packed.Macros[0].PlanesMerge);
    }

    [Fact]
    public void Compile_RandomShapes_AutoTakesFewerMacrosAndPackingNeverAddsAny()
    {
        var rng = new Random(11);
        ChipConfig small = ChipTestData.Small();
        for (int i = 0; i < 200; i++)
        {
            MatrixShape[] shapes = [.. Enumerable.Range(0, 3).Select(j => new MatrixShape($"m{j}", rng.Next(1, 200), rng.Next(1, 400), 1f))];
            int Count(MatrixShape[] s, ChipConfig c) => RomCompiler.Compile(s, c).Macros.Count;
            foreach (MatrixShape one in shapes)
            {
                int inputs = Count([one], small with { Planes = PlaneAssignment.Inputs }), outputs = Count([one], small with { Planes = PlaneAssignment.Outputs });
                Assert.Equal(Math.Min(inputs, outputs), Count([one], small));
            }
            int auto = Count(shapes, small);
            RomMapping packed = RomCompiler.Compile(shapes, small with { Pack = true });
            Assert.True(packed.Macros.Count <= auto);
            Assert.InRange(packed.Utilization, 0, 1);
            long planeCells = 64 * 32;
            Assert.True(packed.Macros.Count * 2 * planeCells >= packed.WeightTrits);
        }
    }

    [Fact]
    public void Config_DefaultPreset_HasDesignDefaults()
    {
        ChipConfig c = ChipConfig.Default;
        Assert.Equal((2048, 1024, 16, 12, 24), (c.ArrayRows, c.ArrayCols, c.GroupRows, c.LocalBits, c.GlobalBits));
        Assert.Equal(OverflowPolicy.Error, c.Overflow);
        Assert.Equal(100, c.ClockMHz);
        Assert.Equal(c, ChipConfig.FromYaml(c.ToYaml(), "round trip"));
    }

    [Fact]
    public void Config_BadField_NamedInError()
    {
        var e = Assert.Throws<ArgumentException>(() => ChipConfig.FromYaml("group_rows: 0\n", "c.yaml"));
        Assert.Contains("group_rows", e.Message);
        Assert.Contains("c.yaml", e.Message);
        e = Assert.Throws<ArgumentException>(() => ChipConfig.FromYaml("sense_low_vdd: 0.3\n", "c.yaml"));
        Assert.Contains("sense_low_vdd", e.Message);
        var unknown = Assert.Throws<InvalidDataException>(() => ChipConfig.FromYaml("group_rowz: 8\n", "c.yaml"));
        Assert.Contains("group_rowz", unknown.Message);
        ChipConfig wrap = ChipConfig.FromYaml("overflow: wrap\nlocal_bits: 6\n", "c.yaml");
        Assert.Equal(OverflowPolicy.Wrap, wrap.Overflow);
        Assert.Equal(2048, wrap.ArrayRows);
    }
}
