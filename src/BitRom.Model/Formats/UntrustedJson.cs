using System.Text.Json;
using System.Text.Unicode;

namespace BitRom.Model.Formats;

/// <summary>
/// Parses JSON from untrusted files (config.json, tokenizer.json, safetensors headers, shard indexes) so that every
/// fault surfaces as one <see cref="InvalidDataException"/> naming the file: System.Text.Json validates string
/// contents only when they are read, and then throws <see cref="InvalidOperationException"/> for invalid UTF-8 or an
/// escaped lone surrogate.
/// </summary>
internal static class UntrustedJson
{
    /// <summary>Parses <paramref name="json"/> and runs <paramref name="read"/> on its root.</summary>
    public static T Read<T>(ReadOnlySpan<byte> json, string fileName, int maxDepth, Func<JsonElement, T> read, long fileOffset = 0)
    {
        if (!Utf8.IsValid(json)) throw new InvalidDataException($"{fileName}: offset {fileOffset}: JSON is not valid UTF-8");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = maxDepth, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{fileName}: offset {fileOffset}: not valid JSON (line {e.LineNumber}, byte {e.BytePositionInLine}): {e.Message}", e);
        }
        using (doc)
        {
            try
            {
                return read(doc.RootElement);
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidDataException($"{fileName}: offset {fileOffset}: unreadable JSON text: {e.Message}", e);
            }
        }
    }
}
