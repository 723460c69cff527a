using BitRom.Model.Formats.Safetensors;

namespace BitRom.Model.Lora;

/// <summary>
/// Adapter files: safetensors with <c>&lt;module path&gt;.lora_a</c> [K, r] and <c>&lt;module path&gt;.lora_b</c> [r, N]
/// (DESIGN.md §5.7; F32, F16, BF16 or F64), plus an optional JSON sidecar (<see cref="LoraSidecar"/>).
/// </summary>
public static class LoraAdapterFile
{
    /// <summary>
    /// Loads <paramref name="path"/>; <paramref name="options"/> win over the sidecar, which wins over the defaults.
    /// The adapter is named after the file. Throws naming the file on any malformed content.
    /// </summary>
    public static LoraAdapter Load(string path, LoraOptions options)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"LoRA adapter not found ({path})");
        LoraOptions merged = LoraSidecar.Locate(path) is { } sidecar ? options.Over(LoraSidecar.Read(sidecar)) : options;
        using SafetensorsFile f = Open(path);
        // the header parser has checked every tensor's byte range against the file length, so these reads are bounded
        var tensors = f.Header.Tensors.Select(t => new LoraTensor(t.Name, t.Shape, f.ReadFloats(t.Name))).ToList();
        return LoraAdapter.FromTensors(Path.GetFileName(path), tensors, merged);
    }

    // The safetensors header parser lets System.Text.Json's InvalidOperationException through on invalid UTF-8
    // names; an adapter is untrusted input, so report it as malformed data naming the file.
    private static SafetensorsFile Open(string path)
    {
        try
        {
            return SafetensorsFile.Open(path);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"{path}: malformed safetensors header ({e.Message})");
        }
    }

    /// <summary>Writes <paramref name="adapter"/>'s modules as F32 tensors under HF module paths, with a sidecar beside it.</summary>
    public static void Save(string path, LoraAdapter adapter)
    {
        var tensors = new List<SafetensorsTensor>();
        foreach (LoraModule m in adapter.Modules)
        {
            string module = LoraTargets.HfModulePath(m.Layer, m.Target);
            tensors.Add(new SafetensorsTensor(module + ".lora_a", SafetensorsDType.F32, [m.K, m.Rank], Bytes(m.A)));
            tensors.Add(new SafetensorsTensor(module + ".lora_b", SafetensorsDType.F32, [m.Rank, m.N], Bytes(m.B)));
        }
        SafetensorsWriter.Write(path, tensors);
        string quant = adapter.Quantization switch { LoraQuantization.Fp => "fp", LoraQuantization.W6A8 => "w6a8", _ => "ternary" };
        string targets = string.Join(", ", adapter.Targets.Select(t => $"\"{LoraTargets.HfName(t)}\""));
        File.WriteAllText(Path.ChangeExtension(path, ".json"),
            $"{{\"r\": {adapter.Rank}, \"lora_alpha\": {adapter.Alpha.ToString(System.Globalization.CultureInfo.InvariantCulture)}, \"target_modules\": [{targets}], \"quant\": \"{quant}\"}}\n");
    }

    private static byte[] Bytes(float[] v)
    {
        var b = new byte[v.Length * 4];
        for (int i = 0; i < v.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(i * 4), v[i]);
        return b;
    }
}
