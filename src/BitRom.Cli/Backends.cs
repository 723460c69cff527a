using BitRom.Numerics.Kernels;

namespace BitRom.Cli;

/// <summary>Maps <c>--backend</c> names to matmul backends.</summary>
internal static class Backends
{
    /// <summary>Names accepted by <c>--backend</c>.</summary>
    public static readonly string[] Names = ["engine", "reference"];

    public static IMatmulBackend Create(string name, int threads)
    {
        if (threads <= 0) throw new ArgumentException($"--threads {threads} must be positive");
        return name switch
        {
            "engine" => ReferenceBackend.Instance,
            "reference" => ReferenceBackend.Instance,
            _ => throw new ArgumentException($"unknown backend '{name}'; known: {string.Join(", ", Names)} (--backend)"),
        };
    }
}
