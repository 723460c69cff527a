using System.Xml.Linq;
using Xunit;

namespace BitRom.Tests.Foundation;

/// <summary>Dependencies point one way (STYLE.md §2.1): checked on the project files and the built assemblies.</summary>
public class ArchitectureTests
{
    [Fact]
    public void Hardware_DoesNotReferenceModel()
    {
        Assert.DoesNotContain("BitRom.Model", ProjectReferences("BitRom.Hardware"));
        Assert.DoesNotContain(typeof(BitRom.Hardware.AssemblyMarker).Assembly.GetReferencedAssemblies(), a => a.Name == "BitRom.Model");
    }

    [Fact]
    public void Numerics_ReferencesNoProject()
    {
        Assert.Empty(ProjectReferences("BitRom.Numerics"));
    }

    [Fact]
    public void Model_ReferencesOnlyNumerics()
    {
        Assert.Equal(["BitRom.Numerics"], ProjectReferences("BitRom.Model"));
    }

    [Fact]
    public void Nothing_ReferencesCli()
    {
        foreach (string csproj in Directory.EnumerateFiles(RepoRoot(), "*.csproj", SearchOption.AllDirectories))
        {
            if (csproj.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")) continue;
            Assert.DoesNotContain("BitRom.Cli", ProjectReferences(csproj));
        }
    }

    internal static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "BitRom.slnx"))) return d.FullName;
        throw new InvalidOperationException("repository root (BitRom.slnx) not found above " + AppContext.BaseDirectory);
    }

    private static List<string> ProjectReferences(string projectOrPath)
    {
        string path = projectOrPath.EndsWith(".csproj") ? projectOrPath : Path.Combine(RepoRoot(), "src", projectOrPath, projectOrPath + ".csproj");
        return XDocument.Load(path).Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToList();
    }
}
