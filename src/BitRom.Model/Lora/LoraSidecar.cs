using System.Text.Json;

namespace BitRom.Model.Lora;

/// <summary>
/// The small JSON file beside an adapter giving its rank, alpha, targets and arithmetic: <c>A.json</c> for
/// <c>A.safetensors</c>, else <c>adapter_config.json</c> in the same folder. Keys (PEFT spellings accepted):
/// <c>r</c> | <c>rank</c>, <c>lora_alpha</c> | <c>alpha</c>, <c>target_modules</c> | <c>targets</c>, <c>quant</c> (fp | w6a8 | ternary).
/// </summary>
public static class LoraSidecar
{
    /// <summary>Largest sidecar read (a few hundred bytes is typical).</summary>
    public const long MaxBytes = 1 << 20;

    /// <summary>The sidecar path of <paramref name="adapterPath"/>, or null when there is none.</summary>
    public static string? Locate(string adapterPath)
    {
        string own = Path.ChangeExtension(adapterPath, ".json");
        if (File.Exists(own)) return own;
        string peft = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(adapterPath)) ?? ".", "adapter_config.json");
        return File.Exists(peft) ? peft : null;
    }

    /// <summary>Reads a sidecar; throws <see cref="InvalidDataException"/> naming the file and key on bad content.</summary>
    public static LoraOptions Read(string path)
    {
        var info = new FileInfo(path);
        if (info.Length > MaxBytes) throw new InvalidDataException($"LoRA sidecar {path} has {info.Length} bytes, more than {MaxBytes}");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"LoRA sidecar {path}: not a JSON object");
            JsonElement root = doc.RootElement;
            int? rank = Get(root, "r", "rank") is { } r ? (r.TryGetInt32(out int ri) && ri > 0 ? ri : throw Bad(path, "r")) : null;
            float? alpha = Get(root, "lora_alpha", "alpha") is { } a ? (a.TryGetSingle(out float af) && float.IsFinite(af) ? af : throw Bad(path, "lora_alpha")) : null;
            IReadOnlyList<LoraTarget>? targets = Get(root, "target_modules", "targets") is { } t
                ? (t.ValueKind == JsonValueKind.Array ? [.. t.EnumerateArray().Select(e => LoraTargets.ParseName(e.GetString() ?? throw Bad(path, "target_modules")))] : throw Bad(path, "target_modules"))
                : null;
            LoraQuantization? quant = Get(root, "quant", "quantization") is { } q ? LoraOptions.ParseQuantization(q.GetString() ?? throw Bad(path, "quant")) : null;
            return new LoraOptions { Rank = rank, Alpha = alpha, Targets = targets, Quantization = quant };
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"LoRA sidecar {path}: invalid JSON at byte {e.BytePositionInLine} of line {e.LineNumber}");
        }
        catch (InvalidOperationException)
        {
            throw new InvalidDataException($"LoRA sidecar {path}: a value has the wrong JSON type");
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"LoRA sidecar {path}: {e.Message}");
        }
    }

    private static JsonElement? Get(JsonElement root, string key, string alias) =>
        root.TryGetProperty(key, out JsonElement v) || root.TryGetProperty(alias, out v) ? v : null;

    private static InvalidDataException Bad(string path, string key) => new($"LoRA sidecar {path}: bad value for '{key}'");
}
