namespace BitRom.Model.Formats.Gguf;

/// <summary>Typed access to GGUF metadata values (any integer width is accepted where a number is expected).</summary>
public static class GgufMetadata
{
    /// <summary>The value as int64 when it is an integer of any GGUF width (u64 above int64 → null), else null.</summary>
    public static long? AsInt64(object? value) => value switch
    {
        byte v => v,
        sbyte v => v,
        ushort v => v,
        short v => v,
        uint v => v,
        int v => v,
        ulong v when v <= long.MaxValue => (long)v,
        long v => v,
        _ => null,
    };

    /// <summary>The value as double when it is any number, else null.</summary>
    public static double? AsDouble(object? value) => value switch
    {
        float f => f,
        double d => d,
        _ => AsInt64(value),
    };

    /// <summary>A string value, or null when absent; throws when present with another type.</summary>
    public static string? GetString(this IReadOnlyDictionary<string, object> m, string key, string file) =>
        !m.TryGetValue(key, out object? v) ? null : v as string ?? throw WrongType(file, key, v, "string");

    /// <summary>An integer value, or null when absent; throws when present with another type.</summary>
    public static long? GetInt64(this IReadOnlyDictionary<string, object> m, string key, string file) =>
        !m.TryGetValue(key, out object? v) ? null : AsInt64(v) ?? throw WrongType(file, key, v, "integer");

    /// <summary>A numeric value, or null when absent; throws when present with another type.</summary>
    public static double? GetDouble(this IReadOnlyDictionary<string, object> m, string key, string file) =>
        !m.TryGetValue(key, out object? v) ? null : AsDouble(v) ?? throw WrongType(file, key, v, "number");

    /// <summary>A required integer in [min, max]; throws naming the file and key.</summary>
    public static int RequireInt(this IReadOnlyDictionary<string, object> m, string key, string file, int min = 1, int max = int.MaxValue)
    {
        long v = m.GetInt64(key, file) ?? throw new InvalidDataException($"{file}: metadata key '{key}' is missing");
        if (v < min || v > max) throw new InvalidDataException($"{file}: metadata '{key}' = {v} outside [{min}, {max}]");
        return (int)v;
    }

    /// <summary>An array value of element type <typeparamref name="T"/>, or null when absent; throws when present with another type.</summary>
    public static T[]? GetArray<T>(this IReadOnlyDictionary<string, object> m, string key, string file) =>
        !m.TryGetValue(key, out object? v) ? null : v as T[] ?? throw WrongType(file, key, v, typeof(T).Name + "[]");

    private static InvalidDataException WrongType(string file, string key, object value, string want) =>
        new($"{file}: metadata '{key}' is a {value.GetType().Name}, expected {want}");
}
