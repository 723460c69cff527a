using BitRom.Hardware.Components;
using BitRom.Hardware.Simulation;
using BitRom.Numerics.Kernels;

namespace BitRom.Cli;

/// <summary>Maps <c>--backend</c> names to matmul backends.</summary>
internal static class Backends
{
    /// <summary>Names accepted by <c>--backend</c>.</summary>
    public static readonly string[] Names = ["engine", "reference", "chip", "chip-exact"];

    public static IMatmulBackend Create(string name, int threads, ChipConfig? chip = null)
    {
        if (threads <= 0) throw new ArgumentException($"--threads {threads} must be positive");
        return name switch
        {
            "engine" => new FastBackend(threads),
            "reference" => ReferenceBackend.Instance,
            // The chip backends take their arithmetic and the head from the engine's backend.
            "chip" or "chip-exact" => ChipBackends.Create(name, chip ?? ChipConfig.Default, Create("engine", threads)),
            _ => throw new ArgumentException($"unknown backend '{name}'; known: {string.Join(", ", Names)} (--backend)"),
        };
    }
}
