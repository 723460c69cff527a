using System.Text;
using BitRom.Model.Synthetic;

namespace BitRom.Tests.Formats.Hf;

/// <summary>
/// Deterministic mutations of a valid file for fuzz tests: bit flips, byte overwrites, truncation, insertion,
/// deletion, duplicated slices, and (for JSON) numbers replaced by hostile values (huge, negative, wrong types).
/// </summary>
internal sealed class Mutator(ulong seed)
{
    private SplitMix64 _rng = new(seed);

    private static readonly string[] HostileValues =
        ["-1", "0", "1e308", "-1e308", "99999999999999999999", "4294967296", "2147483648", "9223372036854775807", "null", "\"x\"", "[]", "{}", "true", "[1,[2,[3]]]", "0.5"];

    public int Next(int n) => (int)(_rng.Next() % (ulong)n);

    private static readonly string[] HostileStrings =
        ["", "BPE", "Sequence", "Split", "ByteLevel", "Isolated", "a b", "(", @"\\p{L}+", @"\ud800", "U8", "F32", "BF16", "-1", "relu2", "autobitlinear", "../x", "\u0000"];

    public byte[] Mutate(byte[] valid, bool json)
    {
        // Half of the JSON cases keep the syntax valid and change values only, to reach the semantic checks.
        if (json && Next(2) == 0) return MutateValues(valid);
        byte[] b = (byte[])valid.Clone();
        int ops = 1 + Next(3);
        for (int i = 0; i < ops && b.Length > 0; i++)
        {
            switch (Next(json ? 8 : 7))
            {
                case 0: b[Next(b.Length)] ^= (byte)(1 << Next(8)); break;
                case 1: b[Next(b.Length)] = (byte)Next(256); break;
                case 2: b = b[..Next(b.Length)]; break;
                case 3:
                {
                    int at = Next(b.Length + 1), n = 1 + Next(8);
                    var ins = new byte[n];
                    for (int k = 0; k < n; k++) ins[k] = (byte)Next(256);
                    b = [.. b[..at], .. ins, .. b[at..]];
                    break;
                }
                case 4:
                {
                    int at = Next(b.Length), n = 1 + Next(Math.Min(16, b.Length - at));
                    b = [.. b[..at], .. b[(at + n)..]];
                    break;
                }
                case 5:
                {
                    int at = Next(b.Length), n = 1 + Next(Math.Min(32, b.Length - at));
                    int to = Next(b.Length + 1);
                    b = [.. b[..to], .. b[at..(at + n)], .. b[to..]];
                    break;
                }
                case 6:
                    // A little-endian u64 of a random size at a random place (header lengths, counts).
                    if (b.Length >= 8) BitConverter.GetBytes(_rng.Next() >> Next(64)).CopyTo(b, Next(b.Length - 7));
                    break;
                default:
                    b = ReplaceNumber(b);
                    break;
            }
        }
        return b;
    }

    private byte[] MutateValues(byte[] valid)
    {
        byte[] b = valid;
        int ops = 1 + Next(3);
        for (int i = 0; i < ops; i++) b = Next(2) == 0 ? ReplaceNumber(b) : ReplaceString(b);
        return b;
    }

    /// <summary>Replaces the contents of one JSON string (key or value) with a hostile or meaningful string.</summary>
    private byte[] ReplaceString(byte[] b)
    {
        string s = Encoding.UTF8.GetString(b);
        var quotes = new List<int>();
        for (int i = 0; i < s.Length; i++)
            if (s[i] == '"' && (i == 0 || s[i - 1] != '\\')) quotes.Add(i);
        if (quotes.Count < 2) return b;
        int k = Next(quotes.Count / 2) * 2;
        int open = quotes[k], close = quotes[k + 1];
        return Encoding.UTF8.GetBytes(s[..(open + 1)] + HostileStrings[Next(HostileStrings.Length)] + s[close..]);
    }

    /// <summary>Replaces one JSON number (a run of digits) with a hostile value.</summary>
    private byte[] ReplaceNumber(byte[] b)
    {
        string s = Encoding.UTF8.GetString(b);
        var starts = new List<int>();
        for (int i = 0; i < s.Length; i++)
            if (char.IsAsciiDigit(s[i]) && (i == 0 || !char.IsAsciiDigit(s[i - 1]))) starts.Add(i);
        if (starts.Count == 0) return b;
        int at = starts[Next(starts.Count)], end = at;
        while (end < s.Length && (char.IsAsciiDigit(s[end]) || s[end] is '.' or 'e' or '-')) end++;
        return Encoding.UTF8.GetBytes(s[..at] + HostileValues[Next(HostileValues.Length)] + s[end..]);
    }
}
