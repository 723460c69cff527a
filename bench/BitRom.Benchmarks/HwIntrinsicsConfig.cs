using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace BitRom.Benchmarks;

/// <summary>
/// One job per instruction-set level, set through the .NET 10 runtime switches (ImageSharp
/// <c>tests/ImageSharp.Benchmarks/Config.HwIntrinsics.cs</c>; knob names verified in tests/…/Kernels/HwIntrinsics.cs):
/// the scalar reference is the baseline, so the speedup of each SIMD path prints in the same table.
/// </summary>
public sealed class HwIntrinsicsConfig : ManualConfig
{
    public HwIntrinsicsConfig()
    {
        AddJob(Job.Default.WithEnvironmentVariables(new EnvironmentVariable("DOTNET_EnableHWIntrinsic", "0")).WithId("1. Scalar").AsBaseline());
        AddJob(Job.Default.WithEnvironmentVariables(new EnvironmentVariable("DOTNET_EnableAVX2", "0")).WithId("2. Vector128"));
        AddJob(Job.Default.WithEnvironmentVariables(new EnvironmentVariable("DOTNET_EnableAVX512", "0")).WithId("3. Vector256"));
    }
}

/// <summary>Thrown by a <c>[GlobalSetup]</c> when the path under test differs from the reference: nothing is timed.</summary>
public sealed class ReferenceMismatchException(string what) : Exception($"{what}: the dispatched path differs from the reference");
