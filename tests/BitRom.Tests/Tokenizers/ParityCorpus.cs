namespace BitRom.Tests.Tokenizers;

/// <summary>Strings for the llama.cpp tokenization parity test and the text the test vocabulary is trained on.</summary>
internal static class ParityCorpus
{
    /// <summary>Fragments by kind: Unicode scripts, whitespace, digits, code, emoji, contractions, punctuation.</summary>
    public static readonly string[] Fragments =
    [
        // English and contractions (the Llama-3 pattern's case-insensitive 's 't 're 've 'm 'll 'd)
        "Hello world", "the quick brown fox jumps over the lazy dog", "It's what they'll do, isn't it?", "WE'LL SEE, YOU'RE RIGHT, I'D SAY",
        "don't", "They've", "I'm", "rock'n'roll", "'s'", "o'clock", "The Theatre of the Thesis",
        // Accented Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari with marks, CJK, Korean, Thai
        "naïve café résumé", "Ærøskøbing", "Привет, мир!", "Καλημέρα κόσμε", "مرحبا بالعالم", "שלום עולם",
        "नमस्ते दुनिया", "日本語のテキストです。", "中文字符测试", "한국어 텍스트", "ภาษาไทย", "Straße groß",
        // Supplementary-plane letters and numbers
        "𝐀𝐁𝐂 bold", "𝟘𝟙𝟚 digits", "𠀀𠀁 ext-B", "𐐷 deseret",
        // Emoji: single, ZWJ families, flags, skin tones, keycaps
        "😀", "I ❤️ tokens 😀😃😄", "👨‍👩‍👧‍👦 family", "🇫🇷🇯🇵 flags", "👍🏽 ok", "1️⃣2️⃣", "🙂a", "a🙂b",
        // Digits
        "1", "12", "123", "1234", "12345678901", "3.14159", "1,000,000", "2026-12-04", "0x1F 0b1010", "٣٤٥ Arabic digits", "१२३",
        // Whitespace runs
        " ", "  ", "   leading", "trailing   ", "a \t b", "\t\ttabs", "\n", "\n\n", "line1\nline2", "crlf\r\nnext", " \n \n ", "x\u00A0y nbsp", "ideographic\u3000space",
        // Code
        "int main() { return 0; }", "def f(x):\n    return x**2", "for (var i = 0; i < n; i++) sum += a[i];",
        "{\"key\": [1, 2, 3], \"nested\": {\"a\": null}}", "SELECT * FROM t WHERE id = 42;", "a => a.Where(x => x > 0)",
        "#include <stdio.h>", "    indented code", "regex: ^\\s*(\\d+)$", "<div class=\"x\">text</div>", "C:\\Users\\name\\file.txt",
        // Punctuation runs
        "!!!???...", "---", "(((nested)))", "...and then", "a,b;c:d", "$100 + 5% = ?", "~`@#^&*_=|",
    ];

    /// <summary>Special and user-defined tokens of the test vocabulary.</summary>
    public static readonly string[] Controls = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"];

    /// <summary>A user-defined (type 4) token: matched verbatim even without special parsing.</summary>
    public const string UserDefined = "<|user_tok|>";

    /// <summary>At least 200 test strings: fragments alone, pairs joined by varied separators, specials embedded, whitespace runs.</summary>
    public static List<string> Strings()
    {
        var s = new List<string>(Fragments);
        string[] seps = [" ", "", "\n", "  ", "\t", ", ", " \n\n ", "'s "];
        for (int i = 0; i < Fragments.Length; i++)
            s.Add(Fragments[i] + seps[i % seps.Length] + Fragments[(i * 7 + 3) % Fragments.Length]);
        for (int i = 0; i < 40; i++)
        {
            string c = Controls[i % Controls.Length];
            string f = Fragments[(i * 5 + 1) % Fragments.Length];
            s.Add((i % 3) switch { 0 => c + f, 1 => f + c + f, _ => f + " " + c + "\n" + UserDefined + f });
        }
        foreach (string ws in new[] { " ", "\t", "\n", "\r\n", " \t" })
            for (int n = 1; n <= 6; n++)
                s.Add("a" + string.Concat(Enumerable.Repeat(ws, n)) + "b" + string.Concat(Enumerable.Repeat(ws, n)));
        s.Add(new ChatTemplateSample().Text);
        return s;
    }

    /// <summary>Training text: the fragments plus prose, so merges cover common words, spaces and digits.</summary>
    public static IEnumerable<string> Training()
    {
        string prose = "The tokenizer splits the text into pieces, then merges the most frequent pairs of symbols. " +
                       "In the beginning there were bytes; then there were tokens, and the tokens were merged again and again. " +
                       "Numbers like 123, 456 and 7890 appear; so do   runs of spaces,\n\nnew lines and\ttabs. " +
                       "public static void Main(string[] args) { Console.WriteLine(\"Hello, world!\"); } // code";
        for (int i = 0; i < 3; i++) yield return prose;
        foreach (string f in Fragments) yield return f;
    }

    private sealed class ChatTemplateSample
    {
        public string Text => "<|start_header_id|>user<|end_header_id|>\n\nWhat's 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";
    }
}
