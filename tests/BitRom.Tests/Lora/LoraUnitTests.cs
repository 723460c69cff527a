using BitRom.Hardware.Components;
using Xunit;

namespace BitRom.Tests.Lora;

/// <summary>Counts of the LoRA unit (adapter SRAM, MACs, load traffic).</summary>
public class LoraUnitTests
{
    [Fact]
    public void Falcon3_1B_VodRank16_MatchesThePaperNotesParameterCount()
    {
        // PAPER-NOTES.md §6: L·16·[(h + kv_dim) + (q_dim + h) + (ffn + h)] = 5,013,504 for Falcon3-1B
        var modules = Enumerable.Range(0, 18).SelectMany(_ => new[]
        {
            new LoraModuleShape(2048, 1024, 16), new LoraModuleShape(2048, 2048, 16), new LoraModuleShape(8192, 2048, 16),
        });
        LoraUnitCounts c = LoraUnit.Count(modules, new LoraUnitConfig());
        Assert.Equal(5_013_504, c.Parameters);
        Assert.Equal(54, c.Modules);
        Assert.Equal(5_013_504L * 6 + 54 * 2 * 32, c.AdapterSramBits);
        Assert.Equal(c.AdapterSramBytes, c.AdapterLoadBytes);
        Assert.Equal(5_013_504, c.MacsPerToken);
        Assert.Equal(18 * 16 * (2048 + 2048 + 8192), c.XaMacsPerToken);
    }

    [Fact]
    public void SmallModule_BytesRoundUpPerTensor()
    {
        // A: 3·2 = 6 weights · 6 bits = 36 bits → 5 bytes; B: 2·5 = 10 · 6 = 60 bits → 8 bytes; + 2 scales of 4 bytes
        LoraUnitCounts c = LoraUnit.Count([new LoraModuleShape(3, 5, 2)], new LoraUnitConfig());
        Assert.Equal(5 + 8 + 8, c.AdapterSramBytes);
        Assert.Equal(96 + 64, c.AdapterSramBits);
        Assert.Equal(6, c.XaMacsPerToken);
        Assert.Equal(10, c.HbMacsPerToken);
        Assert.Throws<ArgumentException>(() => LoraUnit.Count([new LoraModuleShape(0, 5, 2)], new LoraUnitConfig()));
    }
}
