using System.Text;

namespace BitRom.Model.Tokenizers;

/// <summary>
/// Splits special tokens out of text before tokenization, as llama.cpp <c>tokenizer_st_partition</c> does: for each
/// special, longest first, every occurrence in every remaining text fragment; whitespace beside lstrip/rstrip
/// tokens is trimmed. With special parsing off only user-defined tokens are split.
/// </summary>
internal static class SpecialTokenSplitter
{
    /// <summary>A span of raw text, or a special token id (≥ 0).</summary>
    public readonly record struct Fragment(string Text, int Special);

    /// <summary>llama.cpp's order: by UTF-8 length, longest first (stable for equal lengths).</summary>
    public static SpecialToken[] LongestFirst(IEnumerable<SpecialToken> specials) =>
        specials.OrderByDescending(s => Encoding.UTF8.GetByteCount(s.Content)).ToArray();

    /// <summary>The fragments of <paramref name="text"/>, in order; empty for empty text.</summary>
    public static List<Fragment> Partition(string text, IReadOnlyList<SpecialToken> longestFirst, bool parseSpecial)
    {
        if (text.Length == 0) return [];
        var fragments = new List<Fragment> { new(text, -1) };
        foreach (SpecialToken s in longestFirst)
        {
            if (!parseSpecial && s.Control) continue;
            var next = new List<Fragment>(fragments.Count + 2);
            foreach (Fragment f in fragments)
            {
                if (f.Special >= 0) { next.Add(f); continue; }
                string rest = f.Text;
                int at;
                while ((at = rest.IndexOf(s.Content, StringComparison.Ordinal)) >= 0)
                {
                    string left = rest[..at];
                    if (s.LStrip) left = left.TrimEnd(' ', '\t', '\n', '\v', '\f', '\r');
                    if (left.Length > 0) next.Add(new(left, -1));
                    next.Add(new("", s.Id));
                    rest = rest[(at + s.Content.Length)..];
                    if (s.RStrip) rest = rest.TrimStart(' ', '\t', '\n', '\v', '\f', '\r');
                }
                if (rest.Length > 0) next.Add(new(rest, -1));
            }
            fragments = next;
        }
        return fragments;
    }
}
