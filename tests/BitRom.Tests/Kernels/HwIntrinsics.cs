using System.Diagnostics;
using System.Reflection;

namespace BitRom.Tests.Kernels;

/// <summary>
/// The runtime switches that hide instruction sets from a child process (ImageSharp <c>HwIntrinsics</c>),
/// in one place because their names change between runtimes.
/// </summary>
/// <remarks>
/// Verified on .NET 10.0 (SDK 10.0.401) on this AVX-512 machine by printing <c>IsSupported</c> under each switch:
/// <c>DOTNET_EnableHWIntrinsic=0</c> turns every ISA off; <c>EnableAVX=0</c> turns AVX and AVX2 off;
/// <c>EnableAVX2=0</c> turns AVX2 off (SSSE3 stays); <c>EnableSSE42=0</c> turns off the whole x86-64-v2 group,
/// SSSE3 included, leaving SSE2 (Vector128 still accelerated); <c>EnableAVX512=0</c> turns AVX-512 off.
/// The older per-extension names <c>EnableSSSE3</c> and <c>EnableAVX512F</c> are ignored by .NET 10.
/// <c>PreferredVectorBitWidth=128</c> keeps AVX2 but reports Vector256 as not accelerated (a mixed dispatch).
/// </remarks>
[Flags]
public enum HwIntrinsics
{
    /// <summary>No switch: whatever the machine has.</summary>
    AllowAll = 0,
    /// <summary><c>DOTNET_EnableHWIntrinsic=0</c>.</summary>
    DisableHWIntrinsic = 1,
    /// <summary><c>DOTNET_EnableSSE42=0</c>.</summary>
    DisableSSE42 = 2,
    /// <summary><c>DOTNET_EnableAVX=0</c>.</summary>
    DisableAVX = 4,
    /// <summary><c>DOTNET_EnableAVX2=0</c>.</summary>
    DisableAVX2 = 8,
    /// <summary><c>DOTNET_EnableAVX512=0</c>.</summary>
    DisableAVX512 = 16,
    /// <summary><c>DOTNET_PreferredVectorBitWidth=128</c>.</summary>
    PreferVector128 = 32,
}

/// <summary>Runs the <c>BitRom.KernelCheck</c> child process with switches from <see cref="HwIntrinsics"/>.</summary>
internal static class FeatureTestRunner
{
    private static readonly (HwIntrinsics Flag, string Variable, string Value)[] Knobs =
    [
        (HwIntrinsics.DisableHWIntrinsic, "DOTNET_EnableHWIntrinsic", "0"),
        (HwIntrinsics.DisableSSE42, "DOTNET_EnableSSE42", "0"),
        (HwIntrinsics.DisableAVX, "DOTNET_EnableAVX", "0"),
        (HwIntrinsics.DisableAVX2, "DOTNET_EnableAVX2", "0"),
        (HwIntrinsics.DisableAVX512, "DOTNET_EnableAVX512", "0"),
        (HwIntrinsics.PreferVector128, "DOTNET_PreferredVectorBitWidth", "128"),
    ];

    /// <summary>Timeout of one child run (it takes well under a second; startup on a loaded 2-core machine is slower).</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs the checker and returns its output lines keyed by their first word.</summary>
    public static Dictionary<string, string> RunKernelCheck(HwIntrinsics switches)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(KernelCheckPath());
        foreach ((HwIntrinsics flag, string variable, string value) in Knobs)
        {
            start.Environment.Remove(variable);
            if (switches.HasFlag(flag)) start.Environment[variable] = value;
        }
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(Timeout)) { process.Kill(); throw new TimeoutException("BitRom.KernelCheck did not finish"); }
        if (process.ExitCode != 0) throw new InvalidOperationException($"BitRom.KernelCheck exited with {process.ExitCode}: {stderr.Result}");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToDictionary(l => l.Split(' ')[0], l => l[(l.IndexOf(' ') + 1)..]);
    }

    /// <summary>tests/BitRom.KernelCheck/bin/&lt;configuration&gt;/…/BitRom.KernelCheck.dll, built through the test project's ProjectReference.</summary>
    private static string KernelCheckPath()
    {
        string configuration = typeof(FeatureTestRunner).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string bin = Path.Combine(dir.FullName, "tests", "BitRom.KernelCheck", "bin", configuration);
            if (!Directory.Exists(bin)) continue;
            string? dll = Directory.EnumerateFiles(bin, "BitRom.KernelCheck.dll", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
            if (dll is not null) return dll;
        }
        throw new FileNotFoundException($"BitRom.KernelCheck.dll ({configuration}) not found above {AppContext.BaseDirectory}; build tests/BitRom.Tests");
    }
}
