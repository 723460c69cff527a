using System.Text.Json;

namespace BitRom.Model.Formats.Safetensors;

/// <summary>A tensor to write: name, dtype, shape and its little-endian bytes.</summary>
public sealed record SafetensorsTensor(string Name, SafetensorsDType DType, long[] Shape, ReadOnlyMemory<byte> Data);

/// <summary>
/// Writes safetensors files (the inverse of <see cref="SafetensorsHeader.Parse"/>) and sharded folders with
/// <c>model.safetensors.index.json</c> (transformers <c>save_pretrained</c> naming: <c>model-00001-of-00003.safetensors</c>).
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Writes one file with the tensors in the given order.</summary>
    public static void Write(string path, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write);
        Write(fs, tensors, metadata);
    }

    /// <summary>Writes one safetensors stream.</summary>
    public static void Write(Stream output, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var entries = new List<(string, SafetensorsDType, long[], long, long)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        long offset = 0;
        foreach (SafetensorsTensor t in tensors)
        {
            if (!names.Add(t.Name) || t.Name == "__metadata__") throw new ArgumentException($"duplicate or reserved tensor name '{t.Name}'");
            long count = t.Shape.Aggregate(1L, (a, b) => b < 0 ? throw new ArgumentException($"tensor '{t.Name}' has a negative dimension") : checked(a * b));
            if (count * t.DType.Size() != t.Data.Length)
                throw new ArgumentException($"tensor '{t.Name}' {t.DType}[{string.Join(", ", t.Shape)}] needs {count * t.DType.Size()} bytes, got {t.Data.Length}");
            entries.Add((t.Name, t.DType, t.Shape, offset, offset + t.Data.Length));
            offset += t.Data.Length;
        }
        output.Write(SafetensorsHeader.Serialize(entries, metadata));
        foreach (SafetensorsTensor t in tensors) output.Write(t.Data.Span);
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> into <paramref name="directory"/> as shards of at most
    /// <paramref name="maxShardBytes"/> data bytes each (a tensor is never split), plus the index json.
    /// </summary>
    public static void WriteSharded(string directory, IReadOnlyList<SafetensorsTensor> tensors, long maxShardBytes,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (maxShardBytes <= 0) throw new ArgumentException($"shard size {maxShardBytes} must be positive");
        var shards = new List<List<SafetensorsTensor>> { new() };
        long used = 0;
        foreach (SafetensorsTensor t in tensors)
        {
            if (used > 0 && used + t.Data.Length > maxShardBytes) { shards.Add([]); used = 0; }
            shards[^1].Add(t);
            used += t.Data.Length;
        }
        Directory.CreateDirectory(directory);
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < shards.Count; i++)
        {
            string file = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
            Write(Path.Combine(directory, file), shards[i], metadata);
            foreach (SafetensorsTensor t in shards[i]) weightMap[t.Name] = file;
        }
        using var fs = new FileStream(Path.Combine(directory, SafetensorsCheckpoint.IndexFileName), FileMode.Create, FileAccess.Write);
        using var w = new Utf8JsonWriter(fs, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteStartObject("metadata");
        w.WriteNumber("total_size", tensors.Sum(t => (long)t.Data.Length));
        w.WriteEndObject();
        w.WriteStartObject("weight_map");
        foreach (var (k, v) in weightMap) w.WriteString(k, v);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
