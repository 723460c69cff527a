using Xunit;

namespace BitRom.Tests.Kernels;

/// <summary>
/// The public dispatchers under disabled instruction sets, in a child process: every combination must print the
/// same hash of all outputs as the unrestricted run, and the path the switches should select.
/// </summary>
public class KernelDispatchTests
{
    private static readonly Lazy<Dictionary<string, string>> Unrestricted = new(() => FeatureTestRunner.RunKernelCheck(HwIntrinsics.AllowAll));

    [Fact]
    public void Kernels_WithHardwareIntrinsics_MatchReferenceHash()
    {
        Dictionary<string, string> all = Unrestricted.Value;
        Dictionary<string, string> none = FeatureTestRunner.RunKernelCheck(HwIntrinsics.DisableHWIntrinsic);
        Assert.Equal("Reference", none["path"]);
        Assert.Contains("avx2=False", none["isa"]);
        Assert.Contains("v128=False", none["isa"]);
        Assert.Equal(none["hash"], all["hash"]);
    }

    [Theory]
    [InlineData(HwIntrinsics.DisableAVX2, "Vector128")]
    [InlineData(HwIntrinsics.DisableAVX, "Vector128")]
    [InlineData(HwIntrinsics.DisableSSE42, "Reference")]
    [InlineData(HwIntrinsics.DisableAVX512, "Vector256")]
    [InlineData(HwIntrinsics.PreferVector128, "Vector256")]
    public void Kernels_WithoutSomeHardwareIntrinsics_MatchReferenceHash(HwIntrinsics switches, string expectedPath)
    {
        Dictionary<string, string> all = Unrestricted.Value;
        if (all["path"] != "Vector256") return; // the machine lacks AVX2: the switches cannot select anything narrower than it has
        Dictionary<string, string> restricted = FeatureTestRunner.RunKernelCheck(switches);
        Assert.Equal(expectedPath, restricted["path"]);
        Assert.Equal(all["hash"], restricted["hash"]);
    }
}
