using BitRom.Hardware.Cost;
using BitRom.Hardware.Tables;
using Xunit;

namespace BitRom.Tests.Cost;

/// <summary>Every constant carries a source; node scaling follows its stated rule (STYLE.md §2.4.2).</summary>
public class TechnologyTableTests
{
    /// <summary>Relative tolerance for recomputed floating-point constants.</summary>
    private const double Rel = 1e-9;

    public static TheoryData<int> Nodes => [.. TechnologyLoader.Nodes];

    [Theory]
    [MemberData(nameof(Nodes))]
    public void EveryRow_OfEveryNode_HasCitationLocatorAndUnit(int node)
    {
        TechnologyTable t = TechnologyLoader.Load(node);
        Assert.NotEmpty(t.Rows);
        foreach (TechRow r in t.Rows)
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Source.Citation), r.Key);
            Assert.False(string.IsNullOrWhiteSpace(r.Source.Locator), r.Key);
            Assert.False(string.IsNullOrWhiteSpace(r.Unit), r.Key);
        }
    }

    [Theory]
    [MemberData(nameof(Nodes))]
    public void EveryEnergyEntry_OfTheDefaultChip_HasASource(int node)
    {
        var table = EnergyTable.Derive(TechnologyLoader.Load(node), ChipArchitecture.Default with { NodeNm = node });
        foreach (EnergyEntry e in table.Entries)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Source.Citation), $"{e.Component}.{e.Action}");
            Assert.False(string.IsNullOrWhiteSpace(e.Source.Locator), $"{e.Component}.{e.Action}");
            Assert.True(e.PicoJoules > 0, $"{e.Component}.{e.Action}");
        }
    }

    [Fact]
    public void Parse_RowWithoutCitation_IsRejected()
    {
        const string yaml = "name: x\nnode_nm: 65\nrows:\n  - {component: a, item: b, value: 1, unit: pJ, kind: derived, citation: \"\", locator: here}\n";
        var e = Assert.Throws<InvalidDataException>(() => TechnologyLoader.Parse(yaml, "bad.yaml"));
        Assert.Contains("bad.yaml", e.Message);
    }

    [Fact]
    public void Parse_UnknownKind_IsRejected()
    {
        const string yaml = "name: x\nnode_nm: 65\nrows:\n  - {component: a, item: b, value: 1, unit: pJ, kind: guessed, citation: c, locator: here}\n";
        Assert.Throws<InvalidDataException>(() => TechnologyLoader.Parse(yaml, "bad.yaml"));
    }

    [Fact]
    public void Base65_HasPlaceholderRows_ThatReportsMustFlag()
    {
        Assert.Contains(TechnologyLoader.Load().Rows, r => r.Source.Kind == ProvenanceKind.Placeholder);
    }

    [Fact]
    public void HorowitzFactor_EqualsCvSquaredRatioOf65And45()
    {
        TechnologyTable t = TechnologyLoader.Load();
        double expected = 65.0 / 45 * Math.Pow(t.Value("tech", "vdd") / 0.9, 2);
        Assert.Equal(expected, t.Value("tech", "horowitz_45_to_node"), 3);
    }

    [Fact]
    public void Node28_ScalesEnergyByCppAndVddSquared_AreaByPitchProduct_DramNot()
    {
        TechnologyTable b = TechnologyLoader.Load(65), d = TechnologyLoader.Load(28);
        ProcessNode n65 = NodeScaling.Node(65), n28 = NodeScaling.Node(28);
        double energy = n28.CppUm / n65.CppUm * Math.Pow(n28.VddVolts / n65.VddVolts, 2);
        double area = n28.CppUm * n28.M1PitchUm / (n65.CppUm * n65.M1PitchUm);
        Assert.Equal(b.Value("biroma", "sense") * energy, d.Value("biroma", "sense"), Rel);
        Assert.Equal(b.Value("tech", "ge_area") * area, d.Value("tech", "ge_area"), Rel);
        Assert.Equal(b.Value("dram", "lpddr4.pj_per_bit"), d.Value("dram", "lpddr4.pj_per_bit"));
        Assert.Equal(b.Value("horowitz45", "add8"), d.Value("horowitz45", "add8"));
        Assert.All(d.Rows.Where(r => r.Unit is "pJ" or "um2" && r.Component is not ("horowitz45" or "dram")), r => Assert.Equal(ProvenanceKind.Derived, r.Source.Kind));
    }

    [Fact]
    public void UnknownNode_Throws_ListingKnownNodes()
    {
        var e = Assert.Throws<ArgumentException>(() => TechnologyLoader.Load(3));
        Assert.Contains("65", e.Message);
    }

    [Fact]
    public void With_Override_ReplacesValueAndMarksPlaceholder_UnknownKeyThrows()
    {
        TechnologyTable t = TechnologyLoader.Load().With(new Dictionary<string, double> { ["tech.vdd"] = 0.8 }, "chip.yaml");
        Assert.Equal(0.8, t.Value("tech", "vdd"));
        Assert.Equal(ProvenanceKind.Placeholder, t.Row("tech", "vdd").Source.Kind);
        Assert.Contains("chip.yaml", t.Row("tech", "vdd").Source.Citation);
        Assert.Throws<ArgumentException>(() => TechnologyLoader.Load().With(new Dictionary<string, double> { ["tech.nope"] = 1 }, "chip.yaml"));
    }

    [Fact]
    public void PublishedDesigns_AreCited_AndBitromRowMatchesAbstract()
    {
        Assert.All(PublishedDesigns.All, d => Assert.False(string.IsNullOrWhiteSpace(d.Source.Citation)));
        PublishedDesign b = PublishedDesigns.Get("BitROM");
        Assert.Equal(20.8, b.TopsPerWatt);
        Assert.Equal(4967, b.DensityKBPerMm2);
        Assert.Equal(498, PublishedDesigns.Get("1T-MLC").DensityKBPerMm2);
    }
}
