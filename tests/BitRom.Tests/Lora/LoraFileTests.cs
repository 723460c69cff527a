using BitRom.Model.Architectures;
using BitRom.Model.Lora;
using Xunit;

namespace BitRom.Tests.Lora;

/// <summary>Adapter files: safetensors round trip, sidecar precedence, malformed input.</summary>
public class LoraFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bitrom-lora-file").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void SaveThenLoad_RoundTripsEveryModuleAndTheSidecar()
    {
        ModelConfig c = Presets.Tiny;
        LoraAdapter a = LoraFixtures.Adapter("a", c, seed: 5, LoraQuantization.Fp, bRange: 0.3f);
        string path = Path.Combine(_dir, "a.safetensors");
        LoraAdapterFile.Save(path, a);
        LoraAdapter back = LoraAdapterFile.Load(path, new LoraOptions()).Validate(c);
        Assert.Equal("a.safetensors", back.Name);
        Assert.Equal(a.Rank, back.Rank);
        Assert.Equal(a.Alpha, back.Alpha);
        Assert.Equal(LoraQuantization.Fp, back.Quantization);           // from the sidecar, over the W6A8 default
        Assert.Equal(a.Modules.Select(m => (m.Layer, m.Target)), back.Modules.Select(m => (m.Layer, m.Target)));
        Assert.All(a.Modules.Zip(back.Modules), p => Assert.Equal(p.First.A.Concat(p.First.B), p.Second.A.Concat(p.Second.B)));

        // options win over the sidecar
        LoraAdapter q = LoraAdapterFile.Load(path, new LoraOptions { Quantization = LoraQuantization.W6A8, Alpha = 2 });
        Assert.Equal(LoraQuantization.W6A8, q.Quantization);
        Assert.Equal(0.5f, q.Scaling);
    }

    [Fact]
    public void Load_MalformedFiles_ThrowNamingTheFile()
    {
        ModelConfig c = Presets.Tiny;
        string path = Path.Combine(_dir, "b.safetensors");
        LoraAdapterFile.Save(path, LoraFixtures.Adapter("b", c, seed: 5, LoraQuantization.Fp));
        File.Delete(Path.ChangeExtension(path, ".json"));
        byte[] good = File.ReadAllBytes(path);

        File.WriteAllBytes(path, good[..(good.Length / 2)]);
        Assert.Contains("b.safetensors", Assert.ThrowsAny<Exception>(() => LoraAdapterFile.Load(path, new())).Message);

        // every single-byte corruption of the header either loads or fails with a clear exception type
        var rng = new Random(1);
        for (int i = 0; i < 200; i++)
        {
            byte[] bad = (byte[])good.Clone();
            bad[rng.Next(Math.Min(bad.Length, 400))] ^= (byte)(1 << rng.Next(8));
            File.WriteAllBytes(path, bad);
            try
            {
                LoraAdapterFile.Load(path, new()).Validate(c);
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
        }
        Assert.Throws<FileNotFoundException>(() => LoraAdapterFile.Load(Path.Combine(_dir, "none.safetensors"), new()));
    }
}
