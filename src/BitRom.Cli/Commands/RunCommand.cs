using System.CommandLine;
using System.Text.Json.Nodes;
using BitRom.Hardware.Simulation;
using BitRom.Model.Inference;
using BitRom.Model.Lora;
using Spectre.Console;

namespace BitRom.Cli.Commands;

/// <summary><c>bitrom run</c>: generate text, then report speed (and, with a chip backend, the chip summary).</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var models = new ModelCliOptions();
        var json = CommonOptions.Json();
        var threads = CommonOptions.Threads();
        var prompt = new Option<string>("--prompt", "-p") { Description = "Prompt text.", DefaultValueFactory = _ => "In the beginning" };
        var count = new Option<int>("-n", "--tokens") { Description = "Tokens to generate.", DefaultValueFactory = _ => 64 };
        var samplingOptions = new SamplingCliOptions();
        var backend = new Option<string>("--backend") { Description = "Matrix backend: " + string.Join(" | ", Backends.Names), DefaultValueFactory = _ => "engine" };
        var chip = CompileCommand.ChipOption();
        var context = new Option<int>("--context") { Description = "KV cache positions (default: the model's maximum, at most 4096)." };
        var kv = new KvChipOptions();
        var lora = new LoraCliOptions();

        var cmd = new Command("run", "Generate text with a model, then print speed and the chip summary.")
        {
            prompt, count, backend, chip, threads, context, json,
        };
        models.AddTo(cmd);
        samplingOptions.AddTo(cmd);
        kv.AddTo(cmd);
        lora.AddTo(cmd);
        cmd.SetAction(parse => CliApp.Run(() =>
        {
            SamplerOptions sampling = samplingOptions.Read(parse, parse.GetValue(models.Seed));
            var mm = Backends.Create(parse.GetValue(backend)!, parse.GetValue(threads), CompileCommand.LoadChip(parse.GetValue(chip)));
            using ModelHandle h = models.Open(parse);
            var transformer = new Transformer(h.Config, h.Weights, mm, parse.GetValue(context), parse.GetValue(kv.KvBits));
            var adapters = lora.Load(parse, h.Config);
            if (adapters.Count > 1) throw new ArgumentException("run takes one --lora; `bitrom lora apply` compares several");
            transformer.Adapter = adapters.FirstOrDefault();
            var generator = new Generator(transformer, h.Tokenizer);
            string promptText = parse.GetValue(prompt)!;

            // stream the text as it is generated (stdout), then the figures
            Console.Out.Write(promptText);
            var streamed = new TextStreamer(h.Tokenizer);
            int promptCount = h.Tokenizer.Encode(promptText, addBos: true).Count, n = parse.GetValue(count), produced = 0;
            var kvRun = new KvChipRun(kv.Config(parse, parse.GetValue(models.Seed)), transformer, promptCount, parse.GetValue(kv.TokenPeriod));
            GenerationResult r = generator.Generate(promptText, n, sampling, id =>
            {
                Console.Out.Write(streamed.Push(id));
                int i = produced++;
                kvRun.OnToken(i, id != h.Tokenizer.EosToken && i < n - 1 && promptCount + i < transformer.ContextLength);
            });
            Console.Out.WriteLine(streamed.Flush());

            var table = new Table().Border(TableBorder.Rounded).AddColumn("run").AddColumn(new TableColumn("value").RightAligned());
            table.AddRow("model", Markup.Escape(h.Source));
            table.AddRow("backend", mm.Name);
            table.AddRow("prompt tokens", r.PromptTokens.Count.ToString());
            table.AddRow("generated tokens", r.GeneratedTokens.Count.ToString());
            table.AddRow("prefill tokens/s", r.PrefillTokensPerSecond.ToString("F1"));
            table.AddRow("decode tokens/s", r.DecodeTokensPerSecond.ToString("F1"));
            AnsiConsole.Write(table);
            ChipSummary? summary = (mm as ChipBackendBase)?.Summary();
            JsonNode? chipJson = summary is null ? null : ChipSummaryView.Write(summary);
            var kvSession = kv.Session(parse, KvChipRun.Shape(h.Config), r.PromptTokens.Count, Math.Max(0, r.GeneratedTokens.Count - 1));
            JsonObject kvJson = kvRun.Report(kvSession, kv.Placement(parse), h.Config, transformer.Adapter as LoraAdapter);

            CliApp.WriteJson(parse.GetValue(json), new JsonObject
            {
                ["chip"] = chipJson,
                ["kv_chip"] = kvJson,
                ["model"] = h.Source,
                ["arch"] = h.Config.Name,
                ["backend"] = mm.Name,
                ["prompt"] = promptText,
                ["text"] = r.Text,
                ["prompt_tokens"] = new JsonArray([.. r.PromptTokens.Select(t => (JsonNode)t)]),
                ["tokens"] = new JsonArray([.. r.GeneratedTokens.Select(t => (JsonNode)t)]),
                ["sampling"] = new JsonObject
                {
                    ["temperature"] = sampling.Temperature, ["top_k"] = sampling.TopK, ["top_p"] = sampling.TopP,
                    ["repeat_penalty"] = sampling.RepetitionPenalty, ["seed"] = sampling.Seed,
                },
                ["timings"] = new JsonObject
                {
                    ["prefill_seconds"] = r.PrefillSeconds, ["decode_seconds"] = r.DecodeSeconds,
                    ["prefill_tokens_per_second"] = r.PrefillTokensPerSecond, ["decode_tokens_per_second"] = r.DecodeTokensPerSecond,
                },
            });
            return 0;
        }));
        return cmd;
    }
}
