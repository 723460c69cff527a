using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace BitRom.Model.Tokenizers;

/// <summary>
/// Regex pre-tokenization over Unicode code points. The matches and the text between them are the pieces, in order
/// (HF <c>Split</c> with behavior <c>Isolated</c>; llama.cpp <c>unicode_regex_split</c>).
/// </summary>
/// <remarks>
/// .NET regexes see UTF-16 code units, so a character outside the BMP would be two "characters" of category Cs and
/// patterns like <c>[^\r\n\p{L}\p{N}]?\p{L}+</c> would split it in half. The pattern therefore runs on a proxy string
/// with one char per code point: BMP characters as themselves, others as a stand-in of the same class (letter,
/// number, other), and the match offsets are mapped back. Stand-ins are chosen outside every literal of the patterns
/// we use (the contraction letters s t r e v m l d, space, \r, \n).
/// </remarks>
public sealed class PreTokenizer
{
    /// <summary>Llama-3 split pattern as llama.cpp writes it (<c>llama-vocab.cpp</c>, LLAMA_VOCAB_PRE_TYPE_LLAMA3),
    /// with the case-insensitive contractions spelled out; tokenizer.json has <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)</c>.</summary>
    public const string Llama3Pattern =
        @"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>GPT-2 split pattern (openai/gpt-2 <c>encoder.py</c>; HF ByteLevel <c>use_regex</c>; llama.cpp GPT2 pre-type).</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)";

    /// <summary>Bound on one regex match (a pathological pattern from a file must not hang the tokenizer).</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    private const char LetterStandIn = 'x', NumberStandIn = '0', OtherStandIn = '\u00A9';

    private readonly Regex[] _regexes;

    /// <summary>Splits by each pattern in turn (a sequence of Split pre-tokenizers); an empty list leaves text whole.</summary>
    public PreTokenizer(IEnumerable<string> patterns)
    {
        try
        {
            _regexes = patterns.Select(p => new Regex(p, RegexOptions.CultureInvariant, MatchTimeout)).ToArray();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"pre-tokenizer pattern is not a valid .NET regex: {e.Message}");
        }
    }

    /// <summary>The pieces of <paramref name="text"/>; concatenated they give the text back.</summary>
    public List<string> Split(string text)
    {
        var pieces = new List<string> { text };
        foreach (Regex r in _regexes)
        {
            var next = new List<string>();
            foreach (string p in pieces) SplitOne(r, p, next);
            pieces = next;
        }
        return pieces;
    }

    private static void SplitOne(Regex regex, string text, List<string> output)
    {
        if (text.Length == 0) return;
        // proxy[i] stands for the code point starting at text index starts[i].
        var proxy = new StringBuilder(text.Length);
        var starts = new List<int>(text.Length + 1);
        for (int i = 0; i < text.Length;)
        {
            starts.Add(i);
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                proxy.Append(StandIn(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[i], text[i + 1]))));
                i += 2;
            }
            else
            {
                proxy.Append(text[i]);
                i++;
            }
        }
        starts.Add(text.Length);
        int last = 0;
        try
        {
            for (Match m = regex.Match(proxy.ToString()); m.Success; m = m.NextMatch())
            {
                if (m.Length == 0) continue;
                int a = starts[m.Index], b = starts[m.Index + m.Length];
                if (a > last) output.Add(text[last..a]);
                output.Add(text[a..b]);
                last = b;
            }
        }
        catch (RegexMatchTimeoutException)
        {
            throw new InvalidDataException($"pre-tokenizer pattern timed out after {MatchTimeout.TotalSeconds} s on a text of {text.Length} chars");
        }
        if (last < text.Length) output.Add(text[last..]);
    }

    private static char StandIn(UnicodeCategory c) => c switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => LetterStandIn,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => NumberStandIn,
        _ => OtherStandIn,
    };
}
