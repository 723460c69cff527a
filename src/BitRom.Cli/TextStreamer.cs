using System.Text;
using BitRom.Model.Tokenizers;

namespace BitRom.Cli;

/// <summary>Turns tokens into text as they arrive, holding back bytes of an unfinished UTF-8 character.</summary>
internal sealed class TextStreamer(ITokenizer tokenizer)
{
    private readonly Decoder _utf8 = new UTF8Encoding(false, false).GetDecoder();
    private readonly char[] _chars = new char[64];

    public string Push(int id)
    {
        byte[] bytes = tokenizer.TokenBytes(id);
        // a UTF-8 decoder yields at most one char per byte, plus one held over from an earlier partial character
        char[] chars = bytes.Length < _chars.Length ? _chars : new char[bytes.Length + 1];
        int n = _utf8.GetChars(bytes, 0, bytes.Length, chars, 0, flush: false);
        var sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) Append(sb, chars[i]);
        return sb.ToString();
    }

    // Control characters other than newline and tab would drive the terminal; show them as \xNN instead.
    private static void Append(StringBuilder sb, char c)
    {
        if (char.IsControl(c) && c != '\n' && c != '\t') sb.Append($"\\x{(int)c:X2}");
        else sb.Append(c);
    }

    public string Flush()
    {
        int n = _utf8.GetChars([], 0, 0, _chars, 0, flush: true);
        return new string(_chars, 0, n);
    }
}
