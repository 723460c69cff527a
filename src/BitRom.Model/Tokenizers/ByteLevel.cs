using System.Text;

namespace BitRom.Model.Tokenizers;

/// <summary>
/// The GPT-2 byte-level alphabet (openai/gpt-2 <c>encoder.py</c> <c>bytes_to_unicode</c>; HF <c>ByteLevel</c>;
/// llama.cpp <c>unicode_byte_to_utf8</c>): printable bytes ! .. ~, ¡ .. ¬, ® .. ÿ map to themselves, the other 68 bytes
/// to U+0100 upwards in byte order, so every byte string becomes a printable string (space → 'Ġ', newline → 'Ċ').
/// </summary>
public static class ByteLevel
{
    private static readonly char[] ByteToChar = BuildTable();
    private static readonly Dictionary<char, byte> CharToByte = Enumerable.Range(0, 256).ToDictionary(b => ByteToChar[b], b => (byte)b);

    private static char[] BuildTable()
    {
        var t = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            t[b] = printable ? (char)b : (char)next++;
        }
        return t;
    }

    /// <summary>The character byte <paramref name="b"/> is written as.</summary>
    public static char Char(byte b) => ByteToChar[b];

    /// <summary>Byte-level string of UTF-8 bytes.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        foreach (byte b in bytes) sb.Append(ByteToChar[b]);
        return sb.ToString();
    }

    /// <summary>Byte-level string of the UTF-8 encoding of <paramref name="text"/>.</summary>
    public static string Encode(string text) => Encode(Encoding.UTF8.GetBytes(text));

    /// <summary>The bytes of a byte-level string; null when a character is outside the alphabet.</summary>
    public static byte[]? TryDecode(string s)
    {
        var b = new byte[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            if (!CharToByte.TryGetValue(s[i], out b[i])) return null;
        }
        return b;
    }
}
