using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using BitRom.Model.Inference;
using BitRom.Model.Lora;
using BitRom.Model.Training;
using Spectre.Console;

namespace BitRom.Cli.Commands;

/// <summary>
/// <c>bitrom lora train</c> and <c>bitrom lora eval</c>: train a LoRA adapter on a frozen ternary model (only A and B
/// learn; the ROM weights never change, DESIGN.md §5.7) and score a text without and with adapters.
/// </summary>
internal static class LoraTrainCommand
{
    public static Command Train()
    {
        var models = new ModelCliOptions();
        var json = CommonOptions.Json();
        var data = new Option<string>("--data") { Description = "Training text (UTF-8).", Required = true };
        var valid = new Option<string?>("--valid") { Description = "Validation text (UTF-8); its mean loss is printed before and after training." };
        var output = new Option<string>("--out", "-o") { Description = "Output adapter (.safetensors; the .json sidecar is written beside it).", Required = true };
        var targets = new Option<string>("--targets") { Description = "Comma-separated target modules (v, o, down, q, k, gate, up; HF or attn_* names).", DefaultValueFactory = _ => "v,o,down" };
        var rank = new Option<int>("--rank") { Description = "LoRA rank r (the authors' 16, PAPER-NOTES.md §6).", DefaultValueFactory = _ => 16 };
        var alpha = new Option<float>("--alpha") { Description = "LoRA alpha (the authors' 32).", DefaultValueFactory = _ => LoraOptions.DefaultAlpha };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps.", DefaultValueFactory = _ => 300 };
        var lr = new Option<float>("--lr") { Description = "Peak learning rate (AdamW, cosine after warmup).", DefaultValueFactory = _ => 2e-3f };
        var warmup = new Option<int>("--warmup") { Description = "Warmup steps.", DefaultValueFactory = _ => 20 };
        var seqLen = new Option<int>("--seq-len") { Description = "Tokens per training sequence (at most the model's context).", DefaultValueFactory = _ => 128 };
        var batch = new Option<int>("--batch") { Description = "Sequences per step.", DefaultValueFactory = _ => 8 };
        var quant = new Option<string>("--quant") { Description = "Arithmetic recorded in the sidecar for inference: fp | w6a8 | ternary.", DefaultValueFactory = _ => "fp" };
        var minutes = new Option<double>("--time-limit") { Description = "Stop after this many minutes (0 = none) and save." };
        var cmd = new Command("train", "Train a LoRA adapter on a frozen model (fp A/B, straight-through int8 base) and save it in the authors' layout.")
        {
            data, valid, output, targets, rank, alpha, steps, lr, warmup, seqLen, batch, quant, minutes, json,
        };
        models.AddTo(cmd);
        cmd.SetAction(parse => CliApp.Run(() =>
        {
            using ModelHandle h = models.Open(parse);
            var log = Console.Error;
            var targetList = parse.GetValue(targets)!.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(LoraTargets.ParseName).ToList();
            LoraQuantization q = LoraOptions.ParseQuantization(parse.GetValue(quant)!);
            ulong seed = parse.GetValue(models.Seed);
            var options = new TrainOptions
            {
                Batch = parse.GetValue(batch), SeqLen = Math.Min(parse.GetValue(seqLen), h.Config.MaxSeqLen), Steps = parse.GetValue(steps),
                WarmupSteps = parse.GetValue(warmup), LearningRate = parse.GetValue(lr), Seed = seed,
            };
            TokenDataset train = TokenDataset.FromText(h.Tokenizer, File.ReadAllText(parse.GetValue(data)!));
            TokenDataset? validSet = parse.GetValue(valid) is { } vp ? TokenDataset.FromText(h.Tokenizer, File.ReadAllText(vp)) : null;
            var model = TrainableModel.FromWeights(h.Config, h.Weights);
            var lora = new TrainableLora(h.Config, parse.GetValue(rank), parse.GetValue(alpha), targetList, seed);
            var trainer = new LoraTrainer(model, lora, options, h.Tokenizer.BosToken);
            log.WriteLine($"lora train: {h.Source}, {train.Tokens.Length:N0} training tokens, {lora.Parameters.Sum(p => (long)p.Length):N0} adapter parameters ({lora.Modules.Count()} modules, r {lora.Rank}, alpha {lora.Alpha})");

            double? validBefore = validSet is null ? null : trainer.Evaluate(validSet);
            if (validBefore is { } vb) log.WriteLine($"valid loss before: {vb:F4} (ppl {Math.Exp(vb):F3})");
            double limit = parse.GetValue(minutes);
            var clock = Stopwatch.StartNew();
            double loss = double.NaN;
            while (trainer.Step < options.Steps && (limit <= 0 || clock.Elapsed.TotalMinutes < limit))
            {
                loss = trainer.RunStep(train);
                if (trainer.Step % 10 == 0 || trainer.Step == options.Steps)
                    log.WriteLine($"step {trainer.Step}/{options.Steps} loss {loss:F4} lr {options.LearningRateAt(trainer.Step - 1):E2} {clock.Elapsed.TotalSeconds:F0}s");
            }
            double? validAfter = validSet is null ? null : trainer.Evaluate(validSet);
            if (validAfter is { } va) log.WriteLine($"valid loss after: {va:F4} (ppl {Math.Exp(va):F3})");

            string outPath = parse.GetValue(output)!;
            LoraAdapterFile.Save(outPath, lora.ToAdapter(Path.GetFileName(outPath), q));
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(outPath)}[/] ({trainer.Step} steps, {clock.Elapsed.TotalSeconds:F0} s, last loss {loss:F4})");
            CliApp.WriteJson(parse.GetValue(json), new JsonObject
            {
                ["model"] = h.Source, ["out"] = outPath, ["steps"] = trainer.Step, ["seconds"] = clock.Elapsed.TotalSeconds, ["last_loss"] = loss,
                ["valid_loss_before"] = validBefore, ["valid_loss_after"] = validAfter, ["rank"] = lora.Rank, ["alpha"] = lora.Alpha,
                ["targets"] = new JsonArray([.. lora.Targets.Select(t => (JsonNode)LoraTargets.HfName(t))]),
            });
            return 0;
        }));
        return cmd;
    }

    public static Command Eval()
    {
        var models = new ModelCliOptions();
        var json = CommonOptions.Json();
        var threads = CommonOptions.Threads();
        var lora = new LoraCliOptions();
        var text = new Option<string>("--text", "-f") { Description = "UTF-8 text file to score.", Required = true };
        var context = new Option<int>("--context", "-c") { Description = "Tokens per chunk (default: the model's context)." };
        var cmd = new Command("eval", "Perplexity of a text without and with each --lora adapter (the adapter is applied by the engine; the ROM is untouched).")
        {
            text, context, threads, json,
        };
        models.AddTo(cmd);
        lora.AddTo(cmd);
        cmd.SetAction(parse => CliApp.Run(() =>
        {
            string path = parse.GetValue(text)!;
            if (!File.Exists(path)) throw new FileNotFoundException($"text file not found ({path})");
            using ModelHandle h = models.Open(parse);
            var adapters = lora.Load(parse, h.Config);
            if (adapters.Count == 0) throw new ArgumentException("give at least one --lora adapter");
            var transformer = new Transformer(h.Config, h.Weights, Backends.Create("engine", parse.GetValue(threads)), parse.GetValue(context));
            var table = new Table().Border(TableBorder.Rounded).AddColumn("adapter").AddColumn(new TableColumn("tokens").RightAligned())
                .AddColumn(new TableColumn("mean NLL").RightAligned()).AddColumn(new TableColumn("perplexity").RightAligned());
            var runs = new JsonArray();
            foreach (LoraAdapter? a in new LoraAdapter?[] { null }.Concat(adapters))
            {
                transformer.Adapter = a;
                using var reader = new StreamReader(path);
                PerplexityResult r = PerplexityEvaluator.Evaluate(transformer, h.Tokenizer, reader, transformer.ContextLength);
                string label = a is null ? "(none)" : $"{a.Name} (r {a.Rank}, alpha {a.Alpha}, {a.Quantization.ToString().ToLowerInvariant()})";
                table.AddRow(Markup.Escape(label), r.Tokens.ToString("N0"), r.MeanNll.ToString("F4"), r.Perplexity.ToString("F3"));
                runs.Add(new JsonObject
                {
                    ["adapter"] = a?.Name, ["quant"] = a?.Quantization.ToString().ToLowerInvariant(), ["tokens"] = r.Tokens,
                    ["mean_nll"] = r.MeanNll, ["perplexity"] = r.Perplexity,
                });
            }
            AnsiConsole.Write(table);
            CliApp.WriteJson(parse.GetValue(json), new JsonObject { ["model"] = h.Source, ["text"] = path, ["context"] = transformer.ContextLength, ["runs"] = runs });
            return 0;
        }));
        return cmd;
    }
}
