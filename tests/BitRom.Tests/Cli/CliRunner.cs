using System.Diagnostics;
using BitRom.Tests.Foundation;

namespace BitRom.Tests.Cli;

/// <summary>Runs the built <c>bitrom</c> executable in a child process (tests never reference the Cli project).</summary>
internal static class CliRunner
{
    private static readonly Lazy<string> Dll = new(Locate);

    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static Result Run(params string[] args) => Run(TimeSpan.FromMinutes(3), args);

    public static Result Run(TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Dll.Value);
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync(), stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"bitrom {string.Join(' ', args)} did not finish in {timeout}");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs bitrom and asserts the error contract: exit code 2 and exactly one stderr line <c>error: …</c>; returns that line.</summary>
    public static string AssertFailsWithOneErrorLine(params string[] args)
    {
        var r = Run(args);
        Xunit.Assert.Equal(2, r.ExitCode);
        string[] lines = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Xunit.Assert.Single(lines);
        Xunit.Assert.StartsWith("error: ", lines[0]);
        return lines[0];
    }

    /// <summary>The bitrom.dll of the same configuration as this test assembly; built once if absent.</summary>
    private static string Locate()
    {
        string config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        string root = ArchitectureTests.RepoRoot();
        string dll = Path.Combine(root, "src", "BitRom.Cli", "bin", config, "net10.0", "linux-x64", "bitrom.dll");
        if (!File.Exists(dll))
        {
            var build = Process.Start(new ProcessStartInfo("dotnet", ["build", Path.Combine(root, "src", "BitRom.Cli"), "-c", config, "--nologo", "-v", "q"]))!;
            build.WaitForExit();
            if (build.ExitCode != 0 || !File.Exists(dll)) throw new InvalidOperationException($"could not build {dll}");
        }
        return dll;
    }
}
