using System.Text;
using System.Text.RegularExpressions;

namespace BitRom.Model.Tokenizers.Training;

/// <summary>
/// GPT-2 byte-level conventions shared by the BPE trainer, the encoder and the tokenizer.json / GGUF writers:
/// the byte ↔ printable-character map (openai/gpt-2 <c>encoder.py</c> <c>bytes_to_unicode</c>; HF tokenizers
/// <c>ByteLevel</c>) and the GPT-2 pre-tokenizer pattern (llama.cpp <c>LLAMA_VOCAB_PRE_TYPE_GPT2</c>).
/// </summary>
public static partial class ByteLevel
{
    /// <summary>The GPT-2 pre-tokenizer split pattern (openai/gpt-2 <c>encoder.py</c>, HF <c>ByteLevel(use_regex=True)</c>).</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private static readonly char[] ByteToChar = BuildByteToChar();
    private static readonly Dictionary<char, byte> CharToByte = BuildCharToByte();

    [GeneratedRegex(Gpt2Pattern)]
    private static partial Regex Gpt2Regex();

    /// <summary>
    /// The printable character standing for byte <paramref name="b"/>: bytes '!'..'~', '¡'..'¬', '®'..'ÿ' map to
    /// themselves, the other 68 bytes to U+0100 + n in byte order (so the space becomes 'Ġ' and '\n' 'Ċ').
    /// </summary>
    public static char Char(byte b) => ByteToChar[b];

    /// <summary>The token string of a byte sequence (each byte mapped by <see cref="Char"/>).</summary>
    public static string ToTokenString(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        foreach (byte b in bytes) sb.Append(ByteToChar[b]);
        return sb.ToString();
    }

    /// <summary>The bytes of a byte-level token string; throws naming the character when it is not one of the 256.</summary>
    public static byte[] FromTokenString(string token)
    {
        var bytes = new byte[token.Length];
        for (int i = 0; i < token.Length; i++)
        {
            if (!CharToByte.TryGetValue(token[i], out bytes[i]))
                throw new InvalidDataException($"token '{token}': character U+{(int)token[i]:X4} at {i} is not a byte-level symbol");
        }
        return bytes;
    }

    /// <summary>True when every character of <paramref name="token"/> is a byte-level symbol.</summary>
    public static bool IsByteLevel(string token)
    {
        foreach (char c in token) if (!CharToByte.ContainsKey(c)) return false;
        return true;
    }

    /// <summary>
    /// Splits bytes into pre-tokens: maximal valid UTF-8 runs are split with the GPT-2 pattern (each piece
    /// re-encoded to UTF-8); every byte of an invalid UTF-8 sequence is a pre-token of its own. Concatenating the
    /// pieces gives the input back exactly.
    /// </summary>
    public static IEnumerable<byte[]> PreTokenize(byte[] bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            int start = i;
            while (i < bytes.Length && Rune.DecodeFromUtf8(bytes.AsSpan(i), out _, out int used) == System.Buffers.OperationStatus.Done) i += used;
            if (i > start)
                foreach (string piece in PreTokenize(Encoding.UTF8.GetString(bytes, start, i - start)))
                    yield return Encoding.UTF8.GetBytes(piece);
            if (i < bytes.Length)
            {
                Rune.DecodeFromUtf8(bytes.AsSpan(i), out _, out int bad);
                for (int j = 0; j < Math.Max(bad, 1); j++) yield return [bytes[i + j]];
                i += Math.Max(bad, 1);
            }
        }
    }

    /// <summary>Splits text with the GPT-2 pattern; the pieces concatenate to the text.</summary>
    public static IEnumerable<string> PreTokenize(string text)
    {
        int covered = 0;
        foreach (Match m in Gpt2Regex().Matches(text))
        {
            // The pattern matches every character class, so gaps can only be lone surrogates; keep them as pieces.
            if (m.Index > covered) yield return text[covered..m.Index];
            yield return m.Value;
            covered = m.Index + m.Length;
        }
        if (covered < text.Length) yield return text[covered..];
    }

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        int extra = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char)b : (char)(256 + extra++);
        }
        return map;
    }

    private static Dictionary<char, byte> BuildCharToByte()
    {
        var d = new Dictionary<char, byte>(256);
        for (int b = 0; b < 256; b++) d[ByteToChar[b]] = (byte)b;
        return d;
    }
}
