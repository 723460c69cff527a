namespace BitRom.Tests.Formats.Hf;

/// <summary>Fresh temporary folders for tests that write files.</summary>
internal static class TempDir
{
    public static string Create()
    {
        string d = Path.Combine(Path.GetTempPath(), "bitrom-hf-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }
}
