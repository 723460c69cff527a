using System.CommandLine;
using System.Globalization;
using BitRom.Hardware.Components;
using BitRom.Hardware.Dram;

namespace BitRom.Cli;

/// <summary>The DR eDRAM and DRAM-traffic options of <c>bitrom run</c> (DESIGN.md §5.6), one name and default each.</summary>
internal sealed class KvChipOptions
{
    /// <summary>
    /// Default time between decode tokens [model choice]: DESIGN.md §5.4 gives ~4 dependent matrix stages of 4,096
    /// cycles per layer at 100 MHz, ≈ 3 ms per token for Falcon3-1B's 18 layers; 2 ms is a round figure below that.
    /// </summary>
    public const double DefaultTokenPeriodSeconds = 2e-3;

    public readonly Option<string> Capacity = new("--edram-capacity") { Description = "DR eDRAM capacity: bytes, or with KiB / MiB / GiB; 0 = no eDRAM.", DefaultValueFactory = _ => "2MiB" };
    public readonly Option<int> KvBits = new("--kv-bits") { Description = "KV precision: 16 (exact) or 8 (per-head int8; changes the attention's values).", DefaultValueFactory = _ => 16 };
    public readonly Option<string> Policy = new("--policy") { Description = "KV placement when the cache outgrows the eDRAM: recent | first | layers.", DefaultValueFactory = _ => "recent" };
    public readonly Option<double> RetentionSeconds = new("--t-ret") { Description = "eDRAM retention time, seconds.", DefaultValueFactory = _ => DrEdramConfig.DefaultRetentionSeconds };
    public readonly Option<double> TokenPeriod = new("--token-period") { Description = "Chip time per token (prefill and decode), seconds.", DefaultValueFactory = _ => DefaultTokenPeriodSeconds };
    public readonly Option<double> Idle = new("--idle") { Description = "Idle seconds between requests (with --requests > 1).", DefaultValueFactory = _ => 0.0 };
    public readonly Option<int> Requests = new("--requests") { Description = "Hardware model: this run's request repeated as turns of one conversation (the KV cache persists).", DefaultValueFactory = _ => 1 };
    public readonly Option<string> HeadPlacement = new("--head-placement") { Description = "Embedding and lm_head: rom-int8 | dram | sram.", DefaultValueFactory = _ => "rom-int8" };
    public readonly Option<double> RetentionFailure = new("--retention-failure") { Description = "Per-bit failure probability of rows that outlive t_ret; > 0 turns explicit refresh off and flips KV bits.", DefaultValueFactory = _ => 0.0 };

    public void AddTo(Command cmd)
    {
        foreach (Option o in new Option[] { Capacity, KvBits, Policy, RetentionSeconds, TokenPeriod, Idle, Requests, HeadPlacement, RetentionFailure }) cmd.Options.Add(o);
    }

    /// <summary>The eDRAM configuration the options describe.</summary>
    public DrEdramConfig Config(ParseResult p, ulong seed)
    {
        double failure = p.GetValue(RetentionFailure);
        return new DrEdramConfig
        {
            CapacityBytes = ParseBytes(p.GetValue(Capacity)!, "--edram-capacity"),
            KvBits = p.GetValue(KvBits),
            Policy = DrEdramConfig.ParsePolicy(p.GetValue(Policy)!),
            RetentionSeconds = p.GetValue(RetentionSeconds),
            ExplicitRefresh = failure == 0,
            RetentionFailureProbability = failure,
            Seed = seed,
        }.Validate();
    }

    /// <summary>Parses <c>2MiB</c>, <c>512KiB</c>, <c>1048576</c> (binary units; kB/MB accepted as the same).</summary>
    public static long ParseBytes(string text, string option)
    {
        string t = text.Trim();
        int split = t.Length;
        while (split > 0 && char.IsLetter(t[split - 1])) split--;
        long unit = t[split..].ToLowerInvariant() switch
        {
            "" or "b" => 1,
            "k" or "kb" or "kib" => 1L << 10,
            "m" or "mb" or "mib" => 1L << 20,
            "g" or "gb" or "gib" => 1L << 30,
            _ => throw new ArgumentException($"{option} '{text}': unknown unit (use B, KiB, MiB, GiB)"),
        };
        if (!double.TryParse(t[..split], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !(v >= 0) || v * unit > long.MaxValue / 4)
            throw new ArgumentException($"{option} '{text}' is not a byte count");
        return (long)(v * unit);
    }

    /// <summary>The session the hardware model replays: the run's request, repeated, with its timing.</summary>
    public KvSession Session(ParseResult p, KvShape shape, int promptTokens, int decodeSteps)
    {
        int requests = p.GetValue(Requests);
        if (requests <= 0) throw new ArgumentException($"--requests {requests} must be positive");
        return new KvSession
        {
            Shape = shape, Requests = [.. Enumerable.Repeat(new KvRequest(promptTokens, decodeSteps), requests)],
            TokenPeriodSeconds = p.GetValue(TokenPeriod), IdleSeconds = p.GetValue(Idle),
        }.Validate();
    }

    public WeightPlacement Placement(ParseResult p) => DramWorkload.ParsePlacement(p.GetValue(HeadPlacement)!);
}
