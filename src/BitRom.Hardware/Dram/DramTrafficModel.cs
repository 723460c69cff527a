using BitRom.Hardware.Components;

namespace BitRom.Hardware.Dram;

/// <summary>
/// External DRAM traffic of the chip by category (DESIGN.md §5.6, §6 <c>dram_traffic.csv</c>), computed in closed
/// form from the DR eDRAM placement (<see cref="DrEdramLayout.Step"/>). Ternary weights never move (they are in ROM).
/// Rules [model choice]: each token step reads every cached KV entry and writes its own (DESIGN.md §5.4, serial
/// tokens); a logits computation happens once per request at the end of prefill and once per decode step.
/// </summary>
public static class DramTrafficModel
{
    /// <summary>The workload with DR eDRAM <paramref name="edram"/> and without any (capacity 0).</summary>
    public static DramComparison Compare(DramWorkload workload, DrEdramConfig edram)
    {
        workload.Shape.Validate();
        var layout = new DrEdramLayout(edram, workload.Shape.Kv, workload.Positions);
        return new DramComparison(Evaluate(workload, layout, baseline: false), Evaluate(workload, layout, baseline: true), layout);
    }

    /// <summary>
    /// DRAM traffic of <paramref name="workload"/> with the KV placement <paramref name="layout"/>, or, with
    /// <paramref name="baseline"/>, with every KV access in DRAM (<see cref="DrEdramLayout.BaselineStep"/>).
    /// </summary>
    public static DramTraffic Evaluate(DramWorkload workload, DrEdramLayout layout, bool baseline)
    {
        DecoderTrafficShape s = workload.Shape.Validate();
        if (workload.AdapterBytes < 0 || workload.AdapterLoads < 0) throw new ArgumentException("adapter bytes and loads must be >= 0");
        var pre = new PhaseSum();
        var dec = new PhaseSum();
        long logitsBytes = workload.HeadPlacement == WeightPlacement.Dram ? s.TableBytes : 0;
        long rowBytes = workload.HeadPlacement == WeightPlacement.Dram ? (long)s.Dim * s.TableElementBytes : 0;
        int pos = 0;
        foreach (KvRequest r in workload.Requests)
        {
            for (int i = 0; i < r.PromptTokens; i++) pre.Add(baseline ? layout.BaselineStep(pos++) : layout.Step(pos++), rowBytes);
            if (r.PromptTokens > 0) pre.LmHead += logitsBytes;
            for (int i = 0; i < r.DecodeSteps; i++)
            {
                dec.Add(baseline ? layout.BaselineStep(pos++) : layout.Step(pos++), rowBytes);
                dec.LmHead += logitsBytes;
            }
        }

        // once per session, before the first request: tables into SRAM, adapters, other parameters
        if (workload.HeadPlacement == WeightPlacement.Sram)
        {
            pre.Embedding += s.TableBytes;
            if (!s.TiedEmbeddings) pre.LmHead += s.TableBytes;
        }
        long adapters = workload.AdapterBytes * workload.AdapterLoads;
        return new DramTraffic(pre.ToTraffic(adapters, s.OtherBytesPerSession), dec.ToTraffic(0, 0));
    }

    /// <summary>
    /// Bytes per decode token at each context length in <paramref name="contexts"/> (the token reads that many cached
    /// positions and writes one), with DR eDRAM planned for context + 1 positions and without.
    /// </summary>
    public static IReadOnlyList<ContextPoint> ContextCurve(DecoderTrafficShape shape, DrEdramConfig edram, WeightPlacement placement, IEnumerable<int> contexts)
    {
        shape.Validate();
        long perToken = placement == WeightPlacement.Dram ? shape.TableBytes + (long)shape.Dim * shape.TableElementBytes : 0;
        var points = new List<ContextPoint>();
        foreach (int c in contexts)
        {
            if (c < 0) throw new ArgumentException($"context length {c} must be >= 0");
            var layout = new DrEdramLayout(edram, shape.Kv, c + 1);
            KvStepBytes with = layout.Step(c), without = layout.BaselineStep(c);
            long onDie = 0;
            for (int l = 0; l < shape.Kv.Layers; l++) onDie += layout.OnDieEntries(l, c);
            onDie *= layout.EntryBytes;
            points.Add(new ContextPoint(c, without.DramReadBytes + without.DramWriteBytes + perToken,
                with.DramReadBytes + with.DramWriteBytes + perToken, onDie, (long)shape.Kv.Layers * c * layout.EntryBytes - onDie));
        }
        return points;
    }

    /// <summary><paramref name="points"/> context lengths evenly spaced over 0..<paramref name="max"/>, both ends included.</summary>
    public static IEnumerable<int> EvenContexts(int max, int points)
    {
        if (max < 0 || points < 2) throw new ArgumentException($"context curve over 0..{max} needs at least 2 points, got {points}");
        return Enumerable.Range(0, points).Select(i => (int)((long)max * i / (points - 1))).Distinct();
    }

    private sealed class PhaseSum
    {
        public long Tokens, KvRead, KvWrite, LmHead, Embedding;

        public void Add(KvStepBytes kv, long embeddingRowBytes)
        {
            Tokens++;
            KvRead += kv.DramReadBytes;
            KvWrite += kv.DramWriteBytes;
            Embedding += embeddingRowBytes;
        }

        public DramPhaseTraffic ToTraffic(long adapters, long other) => new(Tokens, KvRead, KvWrite, LmHead, Embedding, adapters, other);
    }
}
