using System.Text.Json;

namespace BitRom.Model.Formats.Safetensors;

/// <summary>
/// The weights of an HF folder: one <c>model.safetensors</c>, or shards listed by
/// <c>model.safetensors.index.json</c> (<c>{"metadata": {...}, "weight_map": {tensor: shard file}}</c>, the layout
/// transformers' <c>save_pretrained</c> writes). Tensors are looked up by name across shards.
/// </summary>
public sealed class SafetensorsCheckpoint : IDisposable
{
    /// <summary>File name of a single-file checkpoint.</summary>
    public const string SingleFileName = "model.safetensors";

    /// <summary>File name of the shard index.</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    /// <summary>Largest index file accepted (a real index of a 10B model is ~50 kB).</summary>
    public const long MaxIndexBytes = 64L << 20;

    private readonly List<SafetensorsFile> _files;
    private readonly Dictionary<string, SafetensorsFile> _owner;

    private SafetensorsCheckpoint(List<SafetensorsFile> files, Dictionary<string, SafetensorsFile> owner)
    {
        _files = files;
        _owner = owner;
    }

    /// <summary>The opened files (one, or every shard).</summary>
    public IReadOnlyList<SafetensorsFile> Files => _files;

    /// <summary>Every tensor name.</summary>
    public IEnumerable<string> Names => _owner.Keys;

    /// <summary>Opens the checkpoint in <paramref name="directory"/>: the index when present, else the single file.</summary>
    public static SafetensorsCheckpoint Open(string directory)
    {
        string index = Path.Combine(directory, IndexFileName);
        if (File.Exists(index)) return OpenSharded(directory, index);
        string single = Path.Combine(directory, SingleFileName);
        if (!File.Exists(single)) throw new FileNotFoundException($"{directory}: neither {SingleFileName} nor {IndexFileName} found", single);
        SafetensorsFile f = SafetensorsFile.Open(single);
        return new SafetensorsCheckpoint([f], f.Header.Tensors.ToDictionary(t => t.Name, _ => f, StringComparer.Ordinal));
    }

    /// <summary>Parses an index json into (tensor → shard file name); shard names must be plain file names.</summary>
    public static IReadOnlyDictionary<string, string> ParseIndex(byte[] json, string fileName)
    {
        return UntrustedJson.Read<IReadOnlyDictionary<string, string>>(json, fileName, 16, root =>
        {
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("weight_map", out JsonElement map) || map.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{fileName}: no object 'weight_map'");
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonProperty p in map.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String) throw new InvalidDataException($"{fileName}: weight_map['{p.Name}'] is not a string");
                string shard = p.Value.GetString()!;
                // A shard outside the folder would let a downloaded index read arbitrary files.
                if (shard.Length == 0 || shard != Path.GetFileName(shard) || shard is "." or ".." || shard.Contains('\\'))
                    throw new InvalidDataException($"{fileName}: weight_map['{p.Name}'] = '{shard}' is not a plain file name");
                if (!result.TryAdd(p.Name, shard)) throw new InvalidDataException($"{fileName}: duplicate weight_map key '{p.Name}'");
            }
            return result;
        });
    }

    private static SafetensorsCheckpoint OpenSharded(string directory, string index)
    {
        var info = new FileInfo(index);
        if (info.Length > MaxIndexBytes) throw new InvalidDataException($"{index}: {info.Length} bytes exceeds the index limit of {MaxIndexBytes}");
        IReadOnlyDictionary<string, string> map = ParseIndex(File.ReadAllBytes(index), index);
        var files = new List<SafetensorsFile>();
        var byShard = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        var owner = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        try
        {
            foreach (var (tensor, shard) in map)
            {
                if (!byShard.TryGetValue(shard, out SafetensorsFile? f))
                {
                    f = SafetensorsFile.Open(Path.Combine(directory, shard));
                    files.Add(f);
                    byShard[shard] = f;
                }
                if (!f.Contains(tensor)) throw new InvalidDataException($"{index}: tensor '{tensor}' is mapped to {shard}, which does not hold it");
                owner[tensor] = f;
            }
        }
        catch
        {
            foreach (SafetensorsFile f in files) f.Dispose();
            throw;
        }
        return new SafetensorsCheckpoint(files, owner);
    }

    /// <summary>True when some file holds <paramref name="name"/>.</summary>
    public bool Contains(string name) => _owner.ContainsKey(name);

    /// <summary>The file holding <paramref name="name"/>; throws naming the tensor when absent.</summary>
    public SafetensorsFile FileOf(string name) =>
        _owner.TryGetValue(name, out SafetensorsFile? f) ? f : throw new InvalidDataException($"checkpoint has no tensor '{name}'");

    /// <summary>The entry of <paramref name="name"/>.</summary>
    public SafetensorsTensorInfo Info(string name) => FileOf(name).Info(name);

    /// <summary>The mapped bytes of <paramref name="name"/>.</summary>
    public ReadOnlyMemory<byte> Data(string name) => FileOf(name).Data(name);

    /// <summary>The float32 values of a floating tensor.</summary>
    public float[] ReadFloats(string name) => FileOf(name).ReadFloats(name);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (SafetensorsFile f in _files) f.Dispose();
    }
}
