using BitRom.Model.Formats.Gguf;
using BitRom.Model.Formats.Hf;

namespace BitRom.Model.Formats;

/// <summary>Opens any model source the engine reads: a <c>.gguf</c> file or an HF model folder.</summary>
public static class ModelLoader
{
    /// <summary>
    /// Loads <paramref name="path"/>: a GGUF file (by its magic, whatever the extension) through
    /// <see cref="GgufModelReader"/>; a folder through <see cref="HfModelLoader"/>. Anything else throws naming the path.
    /// </summary>
    public static LoadedModel Load(string path) => Load(path, null);

    /// <summary>As <see cref="Load(string)"/>, appending anything approximate the loader did (e.g. absmean ternarization) to <paramref name="notes"/>.</summary>
    public static LoadedModel Load(string path, ICollection<string>? notes)
    {
        if (Directory.Exists(path)) return HfModelLoader.Load(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such model file or folder", path);
        if (!IsGguf(path))
            throw new InvalidDataException($"{path}: not a model this engine reads (expected a GGUF file starting with 'GGUF' or an HF folder)");
        return GgufModelReader.Load(path, notes);
    }

    /// <summary>True when the file starts with the GGUF magic.</summary>
    public static bool IsGguf(string path)
    {
        using var fs = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return fs.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && BitConverter.ToUInt32(magic) == GgufFile.Magic;
    }
}
