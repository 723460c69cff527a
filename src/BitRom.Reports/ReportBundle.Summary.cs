using System.Text.Json.Nodes;
using BitRom.Hardware.Cost;
using BitRom.Hardware.Tables;

namespace BitRom.Reports;

/// <summary>summary.json: version, the full config, workload and headline metrics.</summary>
public static partial class ReportBundle
{
    /// <summary>Placeholder constants the run used (flagged in every report).</summary>
    public static IReadOnlyList<string> Placeholders(ChipCost c) =>
        c.Table.Technology.Rows.Where(r => r.Source.Kind == ProvenanceKind.Placeholder).Select(r => r.Key)
            .Concat(c.Table.Entries.Where(e => e.Source.Kind == ProvenanceKind.Placeholder).Select(e => $"{e.Component}.{e.Action}")).ToList();

    /// <summary>The summary document.</summary>
    public static JsonObject Summary(ReportInput input)
    {
        ChipCost c = input.Cost;
        ChipArchitecture a = c.Arch;
        ModelShape s = c.Shape;
        ChipMetrics m = c.Metrics;
        JsonObject Phase(PhaseCost p) => new()
        {
            ["tokens"] = p.Tokens, ["energy_pj"] = p.Energy.TotalPicoJoules, ["dynamic_pj"] = p.Energy.DynamicPicoJoules, ["static_pj"] = p.Energy.StaticTotalPicoJoules,
            ["energy_pj_per_token"] = p.EnergyPerTokenPj, ["cycles"] = p.Cycles, ["seconds"] = p.Seconds, ["latency_s_per_token"] = p.LatencyPerTokenSeconds,
            ["tokens_per_s"] = p.TokensPerSecond, ["dram_bytes"] = p.DramTotalBytes, ["ternary_ops"] = p.TernaryOps, ["all_ops"] = p.AllOps,
            ["dram_bytes_by_category"] = new JsonObject(p.DramBytes.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["energy_pj_by_component"] = new JsonObject(p.Energy.ByComponent().Select(x => KeyValuePair.Create(x.Component, (JsonNode?)new JsonObject { ["dynamic"] = x.Dynamic, ["static"] = x.Static }))),
        };
        return new JsonObject
        {
            ["version"] = ReportInput.Version,
            ["generator"] = "bitrom report (BitRom.Reports)",
            ["conventions"] = ChipCost.Conventions,
            ["config"] = new JsonObject
            {
                ["chip_source"] = input.ChipSource,
                ["chip"] = new JsonObject
                {
                    ["name"] = a.Name, ["node_nm"] = a.NodeNm, ["rows"] = a.Rows, ["cols"] = a.Cols, ["trits_per_transistor"] = a.TritsPerTransistor,
                    ["group_rows"] = a.GroupRows, ["local_bits"] = a.LocalBits, ["global_bits"] = a.GlobalBits, ["activation_bits"] = a.ActivationBits,
                    ["clock_mhz"] = a.ClockMHz, ["tokens_per_read"] = a.TokensPerRead, ["edram_bytes"] = a.EdramBytes, ["edram_banks"] = a.EdramBanks,
                    ["edram_bits_per_bank_cycle"] = a.EdramBitsPerBankCycle, ["t_ret_ms"] = a.TRetMs, ["edram_policy"] = a.Policy.ToString().ToLowerInvariant(),
                    ["kv_bits"] = a.KvBits, ["dram"] = a.DramType, ["lm_head_placement"] = a.Head.ToString(), ["lora_rank"] = a.LoraRank,
                    ["lora_weight_bits"] = a.LoraWeightBits, ["stream_weights_from_dram"] = a.StreamWeightsFromDram,
                },
                ["technology"] = c.Table.Technology.Name,
                ["node_scaling_rule"] = c.Table.Technology.ScalingRule,
                ["calibration"] = c.Table.Calibration,
            },
            ["model"] = new JsonObject
            {
                ["name"] = s.Name, ["layers"] = s.Layers, ["dim"] = s.Dim, ["heads"] = s.Heads, ["kv_heads"] = s.KvHeads, ["head_dim"] = s.HeadDim,
                ["hidden_dim"] = s.HiddenDim, ["vocab"] = s.Vocab, ["zero_fraction"] = s.ZeroFraction, ["ternary_weights"] = s.TernaryWeights,
            },
            ["workload"] = new JsonObject { ["prompt_len"] = c.Workload.PromptLen, ["gen_len"] = c.Workload.GenLen, ["batch"] = 1 },
            ["headline"] = new JsonObject
            {
                ["macro_tops_per_w"] = m.MacroTopsPerWatt, ["macro_effective_tops_per_w"] = m.MacroEffectiveTopsPerWatt, ["system_tops_per_w"] = m.SystemTopsPerWatt,
                ["tops_per_mm2"] = m.TopsPerMm2, ["area_mm2"] = c.Area.TotalSquareMillimetres, ["macros"] = c.Area.Macros,
                ["array_density_kB_per_mm2"] = m.ArrayDensityKBPerMm2, ["array_density_kb_per_mm2"] = m.ArrayDensityKbPerMm2,
                ["array_density_info_kB_per_mm2"] = m.ArrayDensityInfoKBPerMm2, ["macro_density_kB_per_mm2"] = m.MacroDensityKBPerMm2,
                ["chip_density_kB_per_mm2"] = m.ChipDensityKBPerMm2, ["decode_dram_change"] = m.DecodeDramChange, ["decode_static_share"] = m.DecodeStaticShare,
                ["peak_tops"] = m.PeakTops, ["dram_gbytes_per_s"] = m.DramGBytesPerSecond,
            },
            ["prefill"] = Phase(c.Prefill),
            ["decode"] = Phase(c.Decode),
            ["refresh"] = new JsonObject
            {
                ["token_period_s"] = c.Refresh.TokenPeriodSeconds, ["t_ret_s"] = c.Refresh.TRetSeconds, ["decode_refresh_holds"] = c.Refresh.DecodeRefreshHolds,
                ["refresh_bits_avoided"] = c.Refresh.RefreshBitsAvoided, ["refresh_bits_issued"] = c.Refresh.RefreshBitsIssued,
                ["threshold"] = "decode refresh holds while the token period is below t_ret",
            },
            ["roofline"] = new JsonArray([.. m.Roofline.Select(p => (JsonNode)new JsonObject { ["phase"] = p.Label, ["ops_per_byte"] = double.IsFinite(p.OpsPerByte) ? p.OpsPerByte : null, ["tops"] = p.Tops })]),
            ["placeholders"] = new JsonArray([.. Placeholders(c).Select(p => (JsonNode)p)]),
        };
    }
}
