using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using BitRom.Model.Architectures;
using BitRom.Model.Tokenizers.Training;
using BitRom.Model.Training;

namespace BitRom.Cli.Commands;

/// <summary>
/// <c>bitrom train</c>: trains a byte-level BPE vocabulary and a BitNet b1.58 model (quantization-aware, straight-through
/// estimator) on a text corpus on the CPU, checkpointing as it goes; exports the ternary model as GGUF (DESIGN.md §8).
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var corpus = new Option<string?>("--corpus") { Description = "Training text (UTF-8). Needed unless resuming." };
        var valid = new Option<string?>("--valid") { Description = "Validation text (UTF-8), e.g. the held-out chapters." };
        var output = new Option<string>("--out", "-o") { Description = "Output GGUF model.", Required = true };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Checkpoint file (default: <out>.ckpt); resumed from when it exists." };
        var vocabSize = new Option<int>("--vocab-size") { Description = "BPE vocabulary size including 2 specials.", DefaultValueFactory = _ => 4096 };
        var dim = new Option<int>("--dim") { Description = "Model width.", DefaultValueFactory = _ => 256 };
        var layers = new Option<int>("--layers") { Description = "Transformer blocks.", DefaultValueFactory = _ => 6 };
        var heads = new Option<int>("--heads") { Description = "Query heads.", DefaultValueFactory = _ => 8 };
        var kvHeads = new Option<int>("--kv-heads") { Description = "Key/value heads (GQA).", DefaultValueFactory = _ => 4 };
        var hidden = new Option<int>("--hidden") { Description = "FFN width (a multiple of 256 for TQ2_0 rows).", DefaultValueFactory = _ => 768 };
        var activation = new Option<string>("--activation") { Description = "FFN gate: silu | relu2.", DefaultValueFactory = _ => "silu" };
        var untied = new Option<bool>("--untied") { Description = "Separate output head (default: tied to the embedding, as llama.cpp's bitnet arch)." };
        var seqLen = new Option<int>("--seq-len") { Description = "Tokens per training sequence (= the model's context).", DefaultValueFactory = _ => 256 };
        var batch = new Option<int>("--batch") { Description = "Sequences per step.", DefaultValueFactory = _ => 4 };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps (a resumed run may change it, and --lr, to continue on a new cosine).", DefaultValueFactory = _ => 1000 };
        var lr = new Option<float>("--lr") { Description = "Peak learning rate.", DefaultValueFactory = _ => 3e-3f };
        var warmup = new Option<int>("--warmup") { Description = "Warmup steps.", DefaultValueFactory = _ => 50 };
        var evalEvery = new Option<int>("--eval-every") { Description = "Validation interval in steps.", DefaultValueFactory = _ => 100 };
        var ckptEvery = new Option<int>("--checkpoint-every") { Description = "Checkpoint interval in steps.", DefaultValueFactory = _ => 25 };
        var minutes = new Option<double>("--time-limit") { Description = "Stop after this many minutes of this session (0 = none), then checkpoint and export." };
        var exportOnly = new Option<bool>("--export-only") { Description = "Do not train: export the checkpoint as it is." };
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();

        var cmd = new Command("train", "Train a small BitNet b1.58 model (QAT, pure C#) and its BPE vocabulary on a text corpus.")
        {
            corpus, valid, output, checkpoint, vocabSize, dim, layers, heads, kvHeads, hidden, activation, untied, seqLen, batch, steps, lr,
            warmup, evalEvery, ckptEvery, minutes, exportOnly, seed, json,
        };
        cmd.SetAction(parse => CliApp.Run(() =>
        {
            string outPath = parse.GetValue(output)!;
            string ckptPath = parse.GetValue(checkpoint) ?? outPath + ".ckpt";
            var log = Console.Error;
            Trainer trainer;
            TrainableModel model;
            BpeVocabulary vocab;
            string? validText = parse.GetValue(valid) is { } vp ? File.ReadAllText(vp) : null;
            TrainOptions options;
            if (File.Exists(ckptPath))
            {
                var (loaded, header) = Checkpoint.Load(ckptPath);
                model = loaded;
                vocab = header.Vocabulary();
                options = header.Options with
                {
                    Steps = parse.GetResult(steps) is { Implicit: false } ? parse.GetValue(steps) : header.Options.Steps,
                    LearningRate = parse.GetResult(lr) is { Implicit: false } ? parse.GetValue(lr) : header.Options.LearningRate,
                };
                string? corpusPath = parse.GetValue(corpus);
                if (corpusPath is null && !parse.GetValue(exportOnly)) throw new ArgumentException("--corpus is needed to resume training (the checkpoint holds no text)");
                log.WriteLine($"resuming {ckptPath} at step {header.Step} of {options.Steps}");
                var tok = new BpeTokenizer(vocab);
                trainer = new Trainer(model, vocab, options, corpusPath is null ? new TokenDataset([], [0]) : TokenDataset.FromText(tok, File.ReadAllText(corpusPath)),
                    validText is null ? null : TokenDataset.FromText(tok, validText), header.Step, header.Seconds, header.History);
            }
            else
            {
                if (parse.GetValue(exportOnly)) throw new FileNotFoundException($"no checkpoint to export ({ckptPath})");
                string corpusPath = parse.GetValue(corpus) ?? throw new ArgumentException("--corpus is required");
                string text = File.ReadAllText(corpusPath);
                var clock = Stopwatch.StartNew();
                vocab = BpeTrainer.Train(text, parse.GetValue(vocabSize));
                log.WriteLine($"BPE: {vocab.Count} tokens, {vocab.Merges.Count} merges in {clock.Elapsed.TotalSeconds:F1} s");
                var config = new ModelConfig
                {
                    Name = Path.GetFileNameWithoutExtension(outPath), Family = ModelFamily.BitNetB158,
                    Dim = parse.GetValue(dim), Layers = parse.GetValue(layers), Heads = parse.GetValue(heads), KvHeads = parse.GetValue(kvHeads),
                    HeadDim = parse.GetValue(dim) / parse.GetValue(heads), HiddenDim = parse.GetValue(hidden), VocabSize = vocab.Count,
                    MaxSeqLen = parse.GetValue(seqLen), RopeTheta = 10000, NormEps = 1e-5f,
                    Activation = parse.GetValue(activation) switch
                    {
                        "silu" => FfnActivation.Silu, "relu2" => FfnActivation.Relu2,
                        var a => throw new ArgumentException($"unknown --activation '{a}' (silu | relu2)"),
                    },
                    SubNorms = true, TiedEmbeddings = !parse.GetValue(untied), BosToken = vocab.Bos, EosToken = vocab.Eos,
                };
                model = new TrainableModel(config);
                options = new TrainOptions
                {
                    Batch = parse.GetValue(batch), SeqLen = parse.GetValue(seqLen), Steps = parse.GetValue(steps), WarmupSteps = parse.GetValue(warmup),
                    LearningRate = parse.GetValue(lr), Seed = parse.GetValue(seed), EvalEvery = parse.GetValue(evalEvery), CheckpointEvery = parse.GetValue(ckptEvery),
                }.Validate();
                model.Initialize(options.Seed);
                var tok = new BpeTokenizer(vocab);
                trainer = new Trainer(model, vocab, options, TokenDataset.FromText(tok, text), validText is null ? null : TokenDataset.FromText(tok, validText));
            }
            log.WriteLine($"model {model.Config.Name}: {model.Count:N0} parameters; train {trainer.Train.Tokens.Length:N0} tokens, valid {trainer.Valid?.Tokens.Length ?? 0:N0}");

            // train until done, the time limit, or Ctrl-C / SIGTERM (then checkpoint and export)
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
            using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
            double limit = parse.GetValue(minutes) * 60;
            var session = Stopwatch.StartNew();
            while (!parse.GetValue(exportOnly) && trainer.Step < options.Steps && !stop.IsCancellationRequested && (limit <= 0 || session.Elapsed.TotalSeconds < limit))
            {
                StepRecord r = trainer.RunStep();
                log.WriteLine($"step {r.Step}/{options.Steps} loss {r.Loss:F4} lr {r.LearningRate:E2} gnorm {r.GradNorm:F3} tok/s {r.TokensPerSecond:F0}" +
                    (r.ValidLoss is { } v ? $" valid {v:F4}" : "") + $" elapsed {trainer.Seconds / 60:F1} min");
                if (options.CheckpointEvery > 0 && r.Step % options.CheckpointEvery == 0) trainer.SaveCheckpoint(ckptPath);
            }
            if (!parse.GetValue(exportOnly))
            {
                trainer.SaveCheckpoint(ckptPath);
                log.WriteLine($"checkpoint {ckptPath} at step {trainer.Step}");
            }
            if (stop.IsCancellationRequested)
            {
                log.WriteLine("stopped by signal: resume with the same command, or export with --export-only");
                return 0;
            }

            CliApp.WriteJson(parse.GetValue(json), Finish(trainer, outPath, log));
            return 0;
        }));
        return cmd;
    }

    /// <summary>Full validation, tokenizer.json beside the model, GGUF export; returns the run's figures.</summary>
    private static JsonObject Finish(Trainer trainer, string outPath, TextWriter log)
    {
        double? validLoss = trainer.Valid is null ? null : trainer.Evaluate(trainer.Valid);
        if (validLoss is { } vl) log.WriteLine($"validation (whole split): loss {vl:F4}, perplexity {Math.Exp(vl):F2}");
        string tokenizerPath = Path.ChangeExtension(outPath, ".tokenizer.json");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(tokenizerPath))!);
        TokenizerJsonWriter.Write(tokenizerPath, trainer.Vocabulary);
        log.WriteLine($"tokenizer {tokenizerPath}");
        TrainedModelExport.WriteGguf(outPath, trainer.Model, trainer.Vocabulary);
        log.WriteLine($"model {outPath}");
        StepRecord? last = trainer.History.LastOrDefault();
        return new JsonObject
        {
            ["model"] = outPath,
            ["parameters"] = trainer.Model.Count,
            ["steps"] = trainer.Step,
            ["seconds"] = trainer.Seconds,
            ["train_loss"] = last?.Loss,
            ["valid_loss"] = validLoss,
            ["valid_perplexity"] = validLoss is { } v ? Math.Exp(v) : null,
            ["tokens_per_second"] = last?.TokensPerSecond,
        };
    }
}
