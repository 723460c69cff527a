using BitRom.Hardware.Cost;
using BitRom.Reports;
using Xunit;

namespace BitRom.Tests.Cost;

/// <summary>
/// The paper's headline numbers (DESIGN.md §5.9) stay within the tolerance bands documented in
/// <see cref="PaperReproduction.Tolerance"/>; a change to the model that moves a row out of its band fails here.
/// </summary>
[Trait("Category", "Paper")]
public class PaperTests
{
    private static readonly Lazy<IReadOnlyList<PaperRow>> Rows = new(() => PaperReproduction.Evaluate(ModelShapes.PaperScenario()));

    [Fact]
    public void Reproduce_HasTheFiveRowsOfDesign59()
    {
        Assert.Equal(5, Rows.Value.Count);
        Assert.All(Rows.Value, r => Assert.False(string.IsNullOrWhiteSpace(r.Explanation)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Row_IsWithinDocumentedTolerance(int index)
    {
        PaperRow r = Rows.Value[index];
        Assert.True(r.WithinTolerance, $"{r.Claim}: ours {r.Ours} {r.Unit} vs paper {r.Paper} (ratio {r.Ratio:F3}) outside [{r.ToleranceLow}, {r.ToleranceHigh}]: {r.Explanation}");
    }

    [Fact]
    public void Density_UsesTheDesignCellModel_4808kBPerMm2()
    {
        Assert.Equal(4 / 0.104 / 8 * 1000, Rows.Value[1].Ours, 1e-6);
    }

    [Fact]
    public void DramRow_PrintsItsScenario()
    {
        string e = Rows.Value[3].Explanation;
        foreach (string part in new[] { "falcon3-1b", "prompt 64", "gen 128", "2048 KiB", "recent", "KV int8", "lm_head" })
            Assert.Contains(part, e);
    }
}
