using System.Text.Json.Nodes;
using BitRom.Hardware.Components;
using BitRom.Hardware.Dram;
using BitRom.Model.Architectures;
using BitRom.Model.Inference;
using BitRom.Model.Lora;
using Spectre.Console;

namespace BitRom.Cli;

/// <summary>
/// Couples a generation with the DR eDRAM model: steps the eDRAM alongside the forward passes and clears the KV bits
/// it reports failed (only with <c>--retention-failure</c>), then reports eDRAM counts and DRAM traffic.
/// Prefill flips are applied before the first decode step (prefill has already read those rows by then).
/// </summary>
internal sealed class KvChipRun
{
    private readonly DrEdram? _functional;
    private readonly Transformer _model;
    private readonly long _periodNs;
    private readonly int _promptTokens;

    public KvChipRun(DrEdramConfig config, Transformer model, int promptTokens, double tokenPeriodSeconds)
    {
        Config = config;
        _model = model;
        _promptTokens = promptTokens;
        _periodNs = KvSession.ToNs(tokenPeriodSeconds);
        if (config.RetentionFailureProbability > 0)
            _functional = new DrEdram(config, Shape(model.Config), model.ContextLength);
    }

    public DrEdramConfig Config { get; }

    /// <summary>KV bits cleared in the functional cache.</summary>
    public long AppliedFlips { get; private set; }

    public static KvShape Shape(ModelConfig c) => new(c.Layers, c.KvHeads, c.HeadDim);

    /// <summary>Call from the generator's token callback: token <paramref name="index"/> was chosen; <paramref name="willForward"/> when a decode step follows.</summary>
    public void OnToken(int index, bool willForward)
    {
        if (_functional is null) return;
        if (index == 0)
            for (int p = 0; p < _promptTokens; p++) Step();
        if (willForward) Step();
    }

    private void Step()
    {
        foreach (KvRetentionFlip f in _functional!.Step(_functional.NextPosition * _periodNs))
        {
            _model.Cache.ClearBit(f.Layer, f.Position, f.IsValue, f.Element, f.Bit);
            AppliedFlips++;
        }
    }

    /// <summary>Prints the eDRAM / DRAM / LoRA section of the chip summary and returns it as JSON.</summary>
    public JsonObject Report(KvSession session, WeightPlacement placement, ModelConfig c, LoraAdapter? adapter)
    {
        DrEdramReport edram = DrEdram.Simulate(Config, session);
        var shape = new DecoderTrafficShape { Kv = session.Shape, Dim = c.Dim, VocabSize = c.VocabSize, TiedEmbeddings = c.TiedEmbeddings };
        LoraUnitCounts? lora = adapter is null ? null : LoraCliOptions.Counts(adapter);
        var workload = new DramWorkload
        {
            Shape = shape, Requests = session.Requests, HeadPlacement = placement,
            AdapterBytes = lora?.AdapterLoadBytes ?? 0, AdapterLoads = lora is null ? 0 : 1,
        };
        DramComparison dram = DramTrafficModel.Compare(workload, Config);
        var curve = DramTrafficModel.ContextCurve(shape, Config, placement, DramTrafficModel.EvenContexts(c.MaxSeqLen, 17));

        var sweep = DrEdram.RetentionSweep(Config, session, DrEdram.DefaultRetentionSweep);
        DrEdramCounts k = edram.Counts;
        var t = new Table().Border(TableBorder.Rounded).Title("DR eDRAM and DRAM traffic").AddColumn("chip").AddColumn(new TableColumn("value").RightAligned());
        t.AddRow("eDRAM", $"{Config.CapacityBytes:N0} B, {Config.Banks} banks, {Config.RowBytes} B rows, policy {Config.Policy.ToString().ToLowerInvariant()}, KV {Config.KvBits}-bit");
        t.AddRow("KV entry (layer, position, K+V)", $"{edram.Layout.EntryBytes:N0} B");
        t.AddRow("KV bytes on die / spilled", $"{k.KvOnDieBytes:N0} / {k.KvSpilledBytes:N0}");
        t.AddRow("DRAM B/token prefill: with / without eDRAM", $"{dram.WithEdram.Prefill.BytesPerToken:N0} / {dram.Baseline.Prefill.BytesPerToken:N0}");
        t.AddRow("DRAM B/token decode: with / without eDRAM", $"{dram.WithEdram.Decode.BytesPerToken:N0} / {dram.Baseline.Decode.BytesPerToken:N0}");
        t.AddRow("DRAM reduction decode / total", $"{dram.DecodeReductionPercent:F1} % / {dram.TotalReductionPercent:F1} %");
        t.AddRow("refreshes issued / avoided by decode reads", $"{k.RefreshesIssued:N0} / {k.RefreshesAvoided:N0}");
        t.AddRow("no-refresh token period (t_ret) / this run's longest gap", $"{edram.Thresholds.NoRefreshTokenPeriodSeconds * 1e3:G4} ms / {edram.Thresholds.LongestStepGapSeconds * 1e3:G4} ms");
        t.AddRow("refreshes issued as t_ret shrinks (" + string.Join(" / ", sweep.Select(p => Seconds(p.RetentionSeconds))) + ")",
            string.Join(" / ", sweep.Select(p => p.RefreshesIssued.ToString("N0"))));
        if (!Config.ExplicitRefresh) t.AddRow("retention violations / KV bits cleared", $"{k.RetentionViolations:N0} / {AppliedFlips:N0}");
        if (lora is not null)
        {
            t.AddRow("LoRA adapter", Markup.Escape($"{adapter!.Name}: r {adapter.Rank}, alpha {adapter.Alpha}, {adapter.Quantization.ToString().ToLowerInvariant()}, {lora.Modules} modules"));
            t.AddRow("LoRA SRAM / load bytes", $"{lora.AdapterSramBytes:N0} / {lora.AdapterLoadBytes:N0}");
            t.AddRow("LoRA MACs per token (x·A 6b×8b + h·B)", $"{lora.XaMacsPerToken:N0} + {lora.HbMacsPerToken:N0}");
        }
        AnsiConsole.Write(t);

        static JsonObject Phase(DramPhaseTraffic p) => new()
        {
            ["tokens"] = p.Tokens, ["kv_read_bytes"] = p.KvReadBytes, ["kv_write_bytes"] = p.KvWriteBytes, ["lm_head_bytes"] = p.LmHeadBytes,
            ["embedding_bytes"] = p.EmbeddingBytes, ["adapter_load_bytes"] = p.AdapterLoadBytes, ["other_bytes"] = p.OtherBytes,
            ["total_bytes"] = p.TotalBytes, ["bytes_per_token"] = p.BytesPerToken,
        };
        return new JsonObject
        {
            ["edram"] = new JsonObject
            {
                ["capacity_bytes"] = Config.CapacityBytes, ["banks"] = Config.Banks, ["row_bytes"] = Config.RowBytes, ["kv_bits"] = Config.KvBits,
                ["policy"] = Config.Policy.ToString().ToLowerInvariant(), ["t_ret_seconds"] = Config.RetentionSeconds, ["explicit_refresh"] = Config.ExplicitRefresh,
                ["token_period_seconds"] = session.TokenPeriodSeconds, ["idle_seconds"] = session.IdleSeconds, ["requests"] = session.Requests.Count,
                ["entry_bytes"] = edram.Layout.EntryBytes, ["no_refresh_token_period_seconds"] = edram.Thresholds.NoRefreshTokenPeriodSeconds,
                ["max_idle_seconds_without_refresh"] = edram.Thresholds.MaxIdleSecondsWithoutRefresh,
                ["retention_sweep"] = new JsonArray([.. sweep.Select(p => (JsonNode)new JsonObject
                {
                    ["t_ret_seconds"] = p.RetentionSeconds, ["refreshes_issued"] = p.RefreshesIssued,
                    ["refreshes_avoided"] = p.RefreshesAvoided, ["decode_refresh_suffices"] = p.DecodeRefreshSuffices,
                })]),
                ["counts"] = new JsonObject([.. k.ToDictionary().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
                ["kv_on_die_bytes"] = k.KvOnDieBytes, ["kv_spilled_bytes"] = k.KvSpilledBytes, ["kv_bits_cleared"] = AppliedFlips,
            },
            ["dram"] = new JsonObject
            {
                ["head_placement"] = DramPlacementName(placement),
                ["with_edram"] = new JsonObject { ["prefill"] = Phase(dram.WithEdram.Prefill), ["decode"] = Phase(dram.WithEdram.Decode) },
                ["without_edram"] = new JsonObject { ["prefill"] = Phase(dram.Baseline.Prefill), ["decode"] = Phase(dram.Baseline.Decode) },
                ["decode_reduction_percent"] = dram.DecodeReductionPercent, ["prefill_reduction_percent"] = dram.PrefillReductionPercent,
                ["total_reduction_percent"] = dram.TotalReductionPercent,
                ["curve"] = new JsonArray([.. curve.Select(p => (JsonNode)new JsonObject
                {
                    ["context"] = p.ContextLength, ["with_edram_bytes_per_token"] = p.EdramBytesPerToken,
                    ["without_edram_bytes_per_token"] = p.BaselineBytesPerToken, ["reduction_percent"] = p.ReductionPercent,
                })]),
            },
            ["lora"] = lora is null ? null : new JsonObject
            {
                ["adapter"] = adapter!.Name, ["rank"] = adapter.Rank, ["alpha"] = adapter.Alpha, ["quant"] = adapter.Quantization.ToString().ToLowerInvariant(),
                ["modules"] = lora.Modules, ["parameters"] = lora.Parameters, ["sram_bytes"] = lora.AdapterSramBytes, ["sram_bits"] = lora.AdapterSramBits,
                ["load_bytes"] = lora.AdapterLoadBytes, ["xa_macs_per_token"] = lora.XaMacsPerToken, ["hb_macs_per_token"] = lora.HbMacsPerToken,
            },
        };
    }

    private static string Seconds(double s) => s >= 1e-3 ? $"{s * 1e3:G3} ms" : $"{s * 1e6:G3} µs";

    private static string DramPlacementName(WeightPlacement p) => p switch { WeightPlacement.RomInt8 => "rom-int8", WeightPlacement.Dram => "dram", _ => "sram" };
}
