using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace BitRom.Cli;

/// <summary>What every verb shares: the error contract (one line, exit 2), JSON output and progress on stderr.</summary>
internal static class CliApp
{
    /// <summary>Exit code for bad input or any failure (DESIGN.md §2).</summary>
    public const int ErrorExitCode = 2;

    /// <summary>Version written into every JSON result.</summary>
    public const int JsonVersion = 1;

    /// <summary>Runs a verb's body; any exception becomes one line <c>error: what (where)</c> on stderr and exit code 2.</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            Exception inner = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;
            string kind = inner is ArgumentException or InvalidDataException or IOException or InvalidOperationException
                or FormatException or UnauthorizedAccessException or NotSupportedException or OverflowException
                ? "" : $"internal {inner.GetType().Name}: ";
            Console.Error.WriteLine($"error: {kind}{OneLine(inner.Message)}");
            return ErrorExitCode;
        }
    }

    /// <summary>Writes <paramref name="result"/> as indented JSON to <paramref name="path"/> with a <c>version</c> field first.</summary>
    public static void WriteJson(string? path, JsonObject result)
    {
        if (string.IsNullOrEmpty(path)) return;
        var doc = new JsonObject { ["version"] = JsonVersion };
        foreach (var (key, value) in result.ToList())
        {
            result.Remove(key);
            doc[key] = value;
        }
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllText(path, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>Console for progress and status: stderr, and silent when stderr is not a terminal.</summary>
    public static IAnsiConsole Status { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
        Interactive = Console.IsErrorRedirected ? InteractionSupport.No : InteractionSupport.Yes,
        Ansi = Console.IsErrorRedirected ? AnsiSupport.No : AnsiSupport.Detect,
    });

    /// <summary>Runs <paramref name="work"/> under a spinner on stderr when it is a terminal.</summary>
    public static T WithStatus<T>(string what, Func<T> work)
    {
        if (Console.IsErrorRedirected) return work();
        return Status.Status().Start(what, _ => work());
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();
}
