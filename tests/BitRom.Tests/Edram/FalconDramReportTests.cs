using BitRom.Hardware.Components;
using BitRom.Hardware.Dram;
using BitRom.Model.Architectures;
using Xunit;
using Xunit.Abstractions;

namespace BitRom.Tests.Edram;

/// <summary>
/// The closing figure: DRAM reduction for the falcon3-1b-1.58bit shape at context 512 and 2,048 with a 2 MiB
/// DR eDRAM under each policy, printed to the test output and checked against hand counts.
/// </summary>
public class FalconDramReportTests(ITestOutputHelper output)
{
    private static DecoderTrafficShape Shape(ModelConfig c) => new()
    {
        Kv = new KvShape(c.Layers, c.KvHeads, c.HeadDim), Dim = c.Dim, VocabSize = c.VocabSize, TiedEmbeddings = c.TiedEmbeddings,
    };

    [Fact]
    public void Falcon3_1B_2MiB_ReductionPerPolicy_MatchesHandCounts()
    {
        ModelConfig c = Presets.Falcon3_1B;
        DecoderTrafficShape shape = Shape(c);
        var rows = new List<string> { "policy  kv  head      ctx  base B/tok   eDRAM B/tok  reduction  session(prompt ctx/2, decode ctx/2) decode/total" };
        foreach (KvPlacementPolicy policy in Enum.GetValues<KvPlacementPolicy>())
        foreach (int kvBits in new[] { 16, 8 })
        foreach (WeightPlacement head in new[] { WeightPlacement.RomInt8, WeightPlacement.Dram })
        foreach (int ctx in new[] { 512, 2048 })
        {
            DrEdramConfig cfg = DrEdramConfig.Default with { Policy = policy, KvBits = kvBits };
            ContextPoint p = DramTrafficModel.ContextCurve(shape, cfg, head, [ctx])[0];
            var session = new DramWorkload { Shape = shape, Requests = [new KvRequest(ctx / 2, ctx / 2)], HeadPlacement = head };
            DramComparison s = DramTrafficModel.Compare(session, cfg);
            rows.Add($"{policy,-7} {kvBits,2}  {head,-8} {ctx,5} {p.BaselineBytesPerToken,12:N0} {p.EdramBytesPerToken,12:N0} {p.ReductionPercent,9:F2} %  {s.DecodeReductionPercent,8:F2} % / {s.TotalReductionPercent,5:F2} %");
        }
        // the capacity a recent window needs for the paper's −43.6 % on one decode token (PAPER-NOTES.md §5: the
        // paper states neither capacity nor context): smallest whole-MiB-multiple of 64 KiB reaching it
        foreach (int kvBits in new[] { 16, 8 })
        foreach (int ctx in new[] { 512, 2048 })
        {
            long cap = 0;
            while (DramTrafficModel.ContextCurve(shape, DrEdramConfig.Default with { CapacityBytes = cap, KvBits = kvBits }, WeightPlacement.RomInt8, [ctx])[0].ReductionPercent < 43.6)
                cap += 64 << 10;
            rows.Add($"recent, KV {kvBits}-bit, context {ctx}: -43.6 % needs {cap / (double)(1 << 20):F2} MiB of DR eDRAM");
        }
        foreach (string r in rows) output.WriteLine(r);

        // hand counts, 16-bit KV, head in ROM: entry 2·4·256·2 = 4,096 B; recent/first keep
        // floor(2 MiB / (18 · 4,096)) = 28 positions per layer. At context L a decode token reads L entries and
        // writes one per layer; with the window, 28 reads come from the eDRAM and the write spills the oldest.
        foreach (int ctx in new[] { 512, 2048 })
        {
            ContextPoint recent = DramTrafficModel.ContextCurve(shape, DrEdramConfig.Default, WeightPlacement.RomInt8, [ctx])[0];
            Assert.Equal(18L * (ctx + 1) * 4096, recent.BaselineBytesPerToken);
            Assert.Equal(18L * (ctx - 28 + 1) * 4096, recent.EdramBytesPerToken);
            Assert.Equal(100.0 * 28 / (ctx + 1), recent.ReductionPercent, 10);
            ContextPoint first = DramTrafficModel.ContextCurve(shape, DrEdramConfig.Default with { Policy = KvPlacementPolicy.First }, WeightPlacement.RomInt8, [ctx])[0];
            Assert.Equal(recent.EdramBytesPerToken, first.EdramBytesPerToken);
            // a whole layer needs (ctx + 1) · 4,096 B > 2 MiB at both lengths: no layer fits
            ContextPoint layers = DramTrafficModel.ContextCurve(shape, DrEdramConfig.Default with { Policy = KvPlacementPolicy.Layers }, WeightPlacement.RomInt8, [ctx])[0];
            Assert.Equal(0.0, layers.ReductionPercent);
        }
    }
}
