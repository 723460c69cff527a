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

    /// <summary>
    /// HF <c>Punctuation</c>: <c>char::is_ascii_punctuation</c> or Unicode category P; Contiguous keeps runs together.
    /// </summary>
    public const string PunctuationContiguousPattern = @"[\p{P}!-/:-@\[-`{-~]+";

    /// <summary>HF <c>Punctuation</c> with behavior Isolated: every punctuation character alone.</summary>
    public const string PunctuationIsolatedPattern = @"[\p{P}!-/:-@\[-`{-~]";

    /// <summary>Bound on one regex match (a pathological pattern from a file must not hang the tokenizer).</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    private const char LetterStandIn = 'x', NumberStandIn = '0', OtherStandIn = '\u00A9';

    private readonly Regex[] _regexes;
    private readonly int _byteLevelAt;

    /// <summary>
    /// Splits by each pattern in turn (a sequence of Split pre-tokenizers); an empty list leaves text whole.
    /// <paramref name="byteLevelAt"/> is the step before which pieces are mapped to the byte-level alphabet
    /// (HF applies later steps of a Sequence to mapped text); −1 (default) maps after the last step.
    /// </summary>
    public PreTokenizer(IEnumerable<string> patterns, int byteLevelAt = -1)
    {
        try
        {
            _regexes = patterns.Select(p => new Regex(p, RegexOptions.CultureInvariant, MatchTimeout)).ToArray();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"pre-tokenizer pattern is not a valid .NET regex: {e.Message}");
        }
        _byteLevelAt = byteLevelAt < 0 || byteLevelAt > _regexes.Length ? _regexes.Length : byteLevelAt;
    }

    /// <summary>The pieces of <paramref name="text"/> (not byte-mapped); concatenated they give the text back.</summary>
    public List<string> Split(string text) => Apply(text, 0, _regexes.Length);

    /// <summary>The pieces of <paramref name="text"/> in the byte-level alphabet, ready for BPE.</summary>
    public List<string> SplitToByteLevel(string text)
    {
        List<string> pieces = Apply(text, 0, _byteLevelAt);
        for (int i = 0; i < pieces.Count; i++) pieces[i] = ByteLevel.Encode(pieces[i]);
        if (_byteLevelAt == _regexes.Length) return pieces;
        var result = new List<string>();
        foreach (string p in pieces) result.AddRange(Apply(p, _byteLevelAt, _regexes.Length));
        return result;
    }

    private List<string> Apply(string text, int from, int to)
    {
        var pieces = new List<string> { text };
        for (int k = from; k < to; k++)
        {
            var next = new List<string>();
            foreach (string p in pieces) SplitOne(_regexes[k], p, next);
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
