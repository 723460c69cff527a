using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using BitRom.Model.Architectures;
using BitRom.Model.Formats;
using BitRom.Model.Formats.Gguf;
using BitRom.Model.Inference;
using BitRom.Model.Synthetic;
using BitRom.Numerics.Kernels;
using BitRom.Numerics.Quant;
using BitRom.Numerics.Threading;
using Spectre.Console;

namespace BitRom.Cli.Commands;

/// <summary>
/// <c>bitrom bench</c>: our engine and llama.cpp on the same GGUF, threads and prompt ids; prefill and decode speed,
/// their ratios, and our decode against the machine's memory-bandwidth limit (issue 4).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var arch = CommonOptions.Arch();
        var zeroFraction = CommonOptions.ZeroFraction();
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var promptLen = new Option<int>("--prompt-len") { Description = "Prompt tokens (one prefill batch).", DefaultValueFactory = _ => 128 };
        var genLen = new Option<int>("--gen-len") { Description = "Decode steps.", DefaultValueFactory = _ => 128 };
        var repeat = new Option<int>("--repeat") { Description = "Timed repetitions (median and range are reported).", DefaultValueFactory = _ => 3 };
        var noLlama = new Option<bool>("--no-llama") { Description = "Skip llama.cpp." };

        var cmd = new Command("bench", "Prefill and decode speed of our engine and llama.cpp on the same GGUF, and the memory-bandwidth limit.")
        {
            model, arch, zeroFraction, seed, threads, promptLen, genLen, repeat, noLlama, json,
        };
        cmd.SetAction(parse => CliApp.Run(() =>
        {
            int t = parse.GetValue(threads), p = parse.GetValue(promptLen), g = parse.GetValue(genLen), r = parse.GetValue(repeat);
            if (t <= 0 || p <= 0 || g <= 0 || r <= 0) throw new ArgumentException($"--threads {t}, --prompt-len {p}, --gen-len {g} and --repeat {r} must be positive");
            string? modelPath = parse.GetValue(model), archName = parse.GetValue(arch);
            if ((modelPath is null) == (archName is null)) throw new ArgumentException("give exactly one of --model FILE.gguf or --arch NAME");
            string? temp = null;
            try
            {
                if (archName is not null) modelPath = temp = WriteSyntheticGguf(archName, parse.GetValue(seed), parse.GetValue(zeroFraction));
                return Run(modelPath!, t, p, g, r, parse.GetValue(noLlama), archName, parse.GetValue(json));
            }
            finally
            {
                if (temp is not null) File.Delete(temp);
            }
        }));
        return cmd;
    }

    private static string WriteSyntheticGguf(string arch, ulong seed, double zeroFraction)
    {
        ModelConfig config = Presets.Get(arch);
        string path = Path.Combine(Path.GetTempPath(), $"bitrom-bench-{config.Name}-{Environment.ProcessId}.gguf");
        CliApp.WithStatus($"writing synthetic {config.Name} weights as TQ2_0 GGUF", () =>
        {
            ModelWeights w = SyntheticModel.Create(config, seed, zeroFraction);
            GgufModelWriter.Write(path, config, w, ThroughputBenchmark.PlaceholderVocabulary(config), QuantType.TQ2_0);
            return 0;
        });
        // the generated weights are garbage now: return their memory to the OS so the resident figure is the engine's
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return path;
    }

    private static int Run(string path, int threads, int promptLen, int genLen, int repeat, bool skipLlama, string? arch, string? jsonPath)
    {
        string load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        // Our runs and llama.cpp's alternate (theirs r, ours r, ...), each pair after one read-bandwidth pass, with a
        // last pass at the end: a shared machine's speed drifts by tens of percent within minutes, so both engines and
        // the bandwidth limit are sampled in the same minutes instead of one after the other.
        IReadOnlyList<ThroughputSample> ours;
        List<ThroughputSample>? theirs = skipLlama ? null : [];
        string? llamaError = skipLlama ? "skipped (--no-llama)" : null;
        long bytesPerToken, residentBytes = 0;
        var passes = new List<double>();
        ModelConfig config;
        using (LoadedModel m = CliApp.WithStatus($"loading {Path.GetFileName(path)}", () => ModelLoader.Load(path)))
        {
            config = m.Config;
            if (promptLen + genLen > config.MaxSeqLen) throw new ArgumentException($"--prompt-len + --gen-len = {promptLen + genLen} exceeds the model's {config.MaxSeqLen} positions");
            int[] prompt = ThroughputBenchmark.PromptIds(config, promptLen);
            using var backend = new FastBackend(threads);
            MemoryBandwidth.Probe? probe = null;
            LlamaCppThroughput? llama = null;
            try
            {
                string what = skipLlama ? "timing our engine" : "timing our engine and llama.cpp in turn";
                ours = CliApp.WithStatus($"{what}, read bandwidth ({threads} threads) between runs", () =>
                {
                    IReadOnlyList<ThroughputSample> samples = ThroughputBenchmark.MeasureEngine(config, m.Weights, backend, prompt, genLen, repeat, r =>
                    {
                        if (r == 0)
                        {
                            // after our warm-up: weights, the head's streaming copy and the KV cache are resident; llama.cpp and the probe not yet
                            residentBytes = Process.GetCurrentProcess().WorkingSet64;
                            probe = new MemoryBandwidth.Probe(threads);
                            if (theirs is not null) llama = OpenLlama(path, threads, prompt, genLen, ref llamaError);
                        }
                        passes.Add(probe!.Pass());
                        if (llama is null) return;
                        try { theirs!.Add(llama.Run()); }
                        catch (Exception e) when (e is not OutOfMemoryException)
                        {
                            llamaError = CannotRun(e);
                            llama.Dispose();
                            llama = null;
                        }
                    });
                    passes.Add(probe!.Pass());
                    return samples;
                });
            }
            finally
            {
                probe?.Dispose();
                llama?.Dispose();
            }
            bytesPerToken = ThroughputBenchmark.DecodeBytesPerToken(config, m.Weights, promptLen + genLen / 2);
        }
        GC.Collect();
        Spread bandwidth = Spread.Of(passes);
        if (llamaError is not null) theirs = null;

        Spread oursPrefill = Spread.Of(ours.Select(s => s.PrefillTokensPerSecond)), oursDecode = Spread.Of(ours.Select(s => s.DecodeTokensPerSecond));
        CliApp.Status.MarkupLine($"ours: prefill {Format(oursPrefill)} tok/s, decode {Format(oursDecode)} tok/s");

        Spread? theirPrefill = theirs is null ? null : Spread.Of(theirs.Select(s => s.PrefillTokensPerSecond));
        Spread? theirDecode = theirs is null ? null : Spread.Of(theirs.Select(s => s.DecodeTokensPerSecond));
        double limit = bandwidth.Median / bytesPerToken, limitAtBest = bandwidth.Max / bytesPerToken;
        Spread fractions = ThroughputBenchmark.PairedFractions(ours, passes, bytesPerToken);
        Spread? pairedPrefill = theirs is null ? null : ThroughputBenchmark.PairedRatios([.. ours.Select(x => x.PrefillTokensPerSecond)], [.. theirs.Select(x => x.PrefillTokensPerSecond)]);
        Spread? pairedDecode = theirs is null ? null : ThroughputBenchmark.PairedRatios([.. ours.Select(x => x.DecodeTokensPerSecond)], [.. theirs.Select(x => x.DecodeTokensPerSecond)]);

        var table = new Table().Border(TableBorder.Rounded).AddColumn("engine")
            .AddColumn(new TableColumn("prefill tok/s (median [[min–max]])").RightAligned())
            .AddColumn(new TableColumn("decode tok/s (median [[min–max]])").RightAligned());
        table.AddRow($"ours (fast, {TernaryKernels.Path})", Format(oursPrefill), Format(oursDecode));
        if (theirPrefill is { } tp && theirDecode is { } td)
        {
            table.AddRow($"llama.cpp (LLamaSharp 0.30.0, {Markup.Escape(LlamaCppThroughput.NativeVariant ?? "?")} build)", Format(tp), Format(td));
            table.AddRow("ratio ours / llama.cpp (of the medians)", $"{oursPrefill.Median / tp.Median:F2}×", $"{oursDecode.Median / td.Median:F2}×");
            table.AddRow("ratio run by run (runs taken in turn)", Ratio(pairedPrefill!.Value), Ratio(pairedDecode!.Value));
        }
        else table.AddRow("llama.cpp", Markup.Escape(llamaError ?? ""), "");
        AnsiConsole.Write(table);

        var facts = new Table().Border(TableBorder.Rounded).AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        facts.AddRow("model", Markup.Escape(arch is null ? path : $"--arch {arch} (temporary TQ2_0 GGUF)"));
        facts.AddRow("threads / prompt / gen / repeat", $"{threads} / {promptLen} / {genLen} / {repeat}");
        facts.AddRow("machine load (1/5/15 min, at start)", load);
        facts.AddRow("bytes our decode reads per token", $"{bytesPerToken / 1e6:F1} MB");
        facts.AddRow($"read bandwidth ({threads} threads, {passes.Count} passes between our runs)",
            $"{bandwidth.Median / 1e9:F2} GB/s [[{bandwidth.Min / 1e9:F2}–{bandwidth.Max / 1e9:F2}]]");
        facts.AddRow("implied decode limit (median bandwidth)", $"{limit:F2} tok/s");
        facts.AddRow("our decode / limit", $"{oursDecode.Median / limit:P1}");
        facts.AddRow("our decode / limit at the best pass", $"{oursDecode.Median / limitAtBest:P1}");
        facts.AddRow("our decode / limit, run by run (passes around each run)", $"{fractions.Median:P1} [[{fractions.Min:P1}–{fractions.Max:P1}]]");
        facts.AddRow("resident memory (after warm-up)", $"{residentBytes / 1e9:F2} GB");
        AnsiConsole.Write(facts);

        CliApp.WriteJson(jsonPath, new JsonObject
        {
            ["model"] = arch is null ? path : $"--arch {arch}",
            ["arch"] = config.Name,
            ["threads"] = threads, ["prompt_len"] = promptLen, ["gen_len"] = genLen, ["repeat"] = repeat,
            ["load_average"] = load,
            ["kernel_path"] = TernaryKernels.Path,
            ["ours"] = Samples(ours),
            ["llama_cpp"] = theirs is null ? new JsonObject { ["error"] = llamaError } : Samples(theirs),
            ["llama_cpp_native_build"] = LlamaCppThroughput.NativeVariant,
            ["ratio_prefill"] = theirPrefill is { } a ? oursPrefill.Median / a.Median : null,
            ["ratio_decode"] = theirDecode is { } b ? oursDecode.Median / b.Median : null,
            ["decode_bytes_per_token"] = bytesPerToken,
            ["read_bandwidth_bytes_per_second"] = bandwidth.Median,
            ["read_bandwidth_passes_bytes_per_second"] = new JsonArray([.. passes.Select(b => (JsonNode)b)]),
            ["decode_limit_tokens_per_second"] = limit,
            ["decode_fraction_of_limit"] = oursDecode.Median / limit,
            ["decode_fraction_of_limit_at_best_pass"] = oursDecode.Median / limitAtBest,
            ["decode_fraction_of_limit_paired"] = Json(fractions),
            ["ratio_prefill_paired"] = pairedPrefill is { } pp ? Json(pp) : null,
            ["ratio_decode_paired"] = pairedDecode is { } pd ? Json(pd) : null,
            ["resident_bytes"] = residentBytes,
        });
        return 0;
    }

    /// <summary>Loads llama.cpp on the file, or records why it cannot (ours are reported either way).</summary>
    private static LlamaCppThroughput? OpenLlama(string path, int threads, int[] prompt, int genLen, ref string? error)
    {
        try { return LlamaCppThroughput.Open(path, threads, prompt, genLen); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error = CannotRun(e);
            return null;
        }
    }

    private static string CannotRun(Exception e) => $"llama.cpp cannot run this file: {e.Message}";

    private static string Format(Spread s) => $"{s.Median:F2} [[{s.Min:F2}–{s.Max:F2}]]";

    private static string Ratio(Spread s) => $"{s.Median:F2}× [[{s.Min:F2}–{s.Max:F2}]]";

    private static JsonObject Json(Spread s) => new() { ["median"] = s.Median, ["min"] = s.Min, ["max"] = s.Max };

    private static JsonObject Samples(IReadOnlyList<ThroughputSample> samples) => new()
    {
        ["prefill_tokens_per_second"] = new JsonArray([.. samples.Select(s => (JsonNode)s.PrefillTokensPerSecond)]),
        ["decode_tokens_per_second"] = new JsonArray([.. samples.Select(s => (JsonNode)s.DecodeTokensPerSecond)]),
    };
}
