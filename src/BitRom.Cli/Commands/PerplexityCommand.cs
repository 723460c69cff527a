using System.CommandLine;
using System.Text.Json.Nodes;
using BitRom.Model.Inference;
using BitRom.Model.Training;
using Spectre.Console;

namespace BitRom.Cli.Commands;

/// <summary><c>bitrom perplexity</c>: perplexity of a model on a text file of any length, streamed, with a progress bar.</summary>
internal static class PerplexityCommand
{
    public static Command Create()
    {
        var models = new ModelCliOptions();
        var json = CommonOptions.Json();
        var threads = CommonOptions.Threads();
        var text = new Option<string>("--text", "-f") { Description = "UTF-8 text file to score.", Required = true };
        var context = new Option<int>("--context", "-c") { Description = "Tokens per chunk (default: the model's context, at most 4096)." };
        var backend = new Option<string>("--backend") { Description = "Matrix backend: " + string.Join(" | ", Backends.Names), DefaultValueFactory = _ => "engine" };

        var cmd = new Command("perplexity", "Perplexity of a model on a text file (chunks start with BOS; every token scored once).")
        {
            text, context, backend, threads, json,
        };
        models.AddTo(cmd);
        cmd.SetAction(parse => CliApp.Run(() =>
        {
            string path = parse.GetValue(text)!;
            if (!File.Exists(path)) throw new FileNotFoundException($"text file not found ({path})");
            var mm = Backends.Create(parse.GetValue(backend)!, parse.GetValue(threads));
            using ModelHandle h = models.Open(parse);
            var transformer = new Transformer(h.Config, h.Weights, mm, parse.GetValue(context));
            using var reader = new StreamReader(path);
            long total = Math.Max(1, new FileInfo(path).Length);

            PerplexityResult r;
            if (Console.IsErrorRedirected)
                r = PerplexityEvaluator.Evaluate(transformer, h.Tokenizer, reader, transformer.ContextLength);
            else
                r = CliApp.Status.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(p =>
                    {
                        var task = p.AddTask(Path.GetFileName(path), maxValue: total);
                        var result = PerplexityEvaluator.Evaluate(transformer, h.Tokenizer, reader, transformer.ContextLength,
                            new Progress<long>(chars => task.Value = Math.Min(total, chars)));
                        task.Value = total;
                        return result;
                    });

            var table = new Table().Border(TableBorder.Rounded).AddColumn("perplexity").AddColumn(new TableColumn("value").RightAligned());
            table.AddRow("model", Markup.Escape(h.Source));
            table.AddRow("text", Markup.Escape(path));
            table.AddRow("backend", mm.Name);
            table.AddRow("context", transformer.ContextLength.ToString());
            table.AddRow("tokens scored", r.Tokens.ToString("N0"));
            table.AddRow("mean NLL (nats)", r.MeanNll.ToString("F4"));
            table.AddRow("perplexity", r.Perplexity.ToString("F3"));
            table.AddRow("tokens/s", r.TokensPerSecond.ToString("F1"));
            AnsiConsole.Write(table);

            CliApp.WriteJson(parse.GetValue(json), new JsonObject
            {
                ["model"] = h.Source, ["text"] = path, ["backend"] = mm.Name, ["context"] = transformer.ContextLength,
                ["tokens"] = r.Tokens, ["chunks"] = r.Chunks, ["mean_nll"] = r.MeanNll, ["perplexity"] = r.Perplexity,
                ["seconds"] = r.Seconds, ["tokens_per_second"] = r.TokensPerSecond,
            });
            return 0;
        }));
        return cmd;
    }
}
