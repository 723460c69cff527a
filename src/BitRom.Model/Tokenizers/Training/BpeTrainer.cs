using System.Text;

namespace BitRom.Model.Tokenizers.Training;

/// <summary>
/// Trains a byte-level BPE vocabulary (Sennrich et al. 2016 as GPT-2 applies it to bytes): pre-tokenize with the
/// GPT-2 pattern, count pieces, then repeatedly merge the most frequent adjacent pair (ties: the smaller
/// (left id, right id), so training is deterministic) until the vocabulary holds
/// <c>vocabSize − specials</c> ordinary tokens. Pairs never cross pre-token boundaries.
/// </summary>
public static class BpeTrainer
{
    /// <summary>Bytes: the base alphabet.</summary>
    public const int ByteTokens = 256;

    /// <summary>Trains on <paramref name="text"/>; specials default to <see cref="BpeVocabulary.DefaultBos"/> and <see cref="BpeVocabulary.DefaultEos"/>.</summary>
    public static BpeVocabulary Train(string text, int vocabSize, IReadOnlyList<string>? specials = null)
    {
        specials ??= [BpeVocabulary.DefaultBos, BpeVocabulary.DefaultEos];
        int targetMerges = vocabSize - ByteTokens - specials.Count;
        if (targetMerges < 0) throw new ArgumentException($"vocabulary size {vocabSize} is smaller than 256 bytes + {specials.Count} specials");

        // pre-tokenize and count distinct pieces
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string piece in BytePieces.Split(text))
            counts[piece] = counts.GetValueOrDefault(piece) + 1;
        var words = new List<int[]>(counts.Count);
        var freqs = new List<long>(counts.Count);
        foreach (var (piece, n) in counts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            words.Add(Encoding.UTF8.GetBytes(piece).Select(b => (int)b).ToArray());
            freqs.Add(n);
        }

        var tokens = new List<string>(vocabSize);
        for (int b = 0; b < ByteTokens; b++) tokens.Add(ByteLevel.Char((byte)b).ToString());
        var merges = new List<(string, string)>(targetMerges);

        // pair counts over all words
        var pairs = new Dictionary<long, long>();
        for (int w = 0; w < words.Count; w++) AddPairs(pairs, words[w], freqs[w]);

        while (merges.Count < targetMerges)
        {
            long best = -1, bestCount = 0;
            foreach (var (key, n) in pairs)
                if (n > bestCount || (n == bestCount && n > 0 && key < best)) { best = key; bestCount = n; }
            if (bestCount < 2) break; // nothing left worth merging (or the corpus is exhausted)
            int left = (int)(best >> 32), right = (int)(best & 0xFFFFFFFF), merged = tokens.Count;
            tokens.Add(tokens[left] + tokens[right]);
            merges.Add((tokens[left], tokens[right]));

            // rewrite every word holding the pair: remove its old pairs, merge, add its new pairs
            for (int w = 0; w < words.Count; w++)
            {
                int[] word = words[w];
                if (!Contains(word, left, right)) continue;
                AddPairs(pairs, word, -freqs[w]);
                words[w] = word = MergePair(word, left, right, merged);
                AddPairs(pairs, word, freqs[w]);
            }
            pairs.Remove(best);
        }

        var specialIds = new HashSet<int>();
        foreach (string s in specials)
        {
            specialIds.Add(tokens.Count);
            tokens.Add(s);
        }
        int bos = specials.Count > 0 ? ByteTokens + merges.Count : -1;
        int eos = specials.Count > 1 ? bos + 1 : -1;
        return new BpeVocabulary { Tokens = tokens, Merges = merges, Specials = specialIds, Bos = bos, Eos = eos };
    }

    /// <summary>Replaces every non-overlapping (left, right), scanning left to right, by <paramref name="merged"/>.</summary>
    internal static int[] MergePair(int[] word, int left, int right, int merged)
    {
        var result = new List<int>(word.Length);
        for (int i = 0; i < word.Length; i++)
        {
            if (i + 1 < word.Length && word[i] == left && word[i + 1] == right) { result.Add(merged); i++; }
            else result.Add(word[i]);
        }
        return result.ToArray();
    }

    private static bool Contains(int[] word, int left, int right)
    {
        for (int i = 0; i + 1 < word.Length; i++) if (word[i] == left && word[i + 1] == right) return true;
        return false;
    }

    private static void AddPairs(Dictionary<long, long> pairs, int[] word, long n)
    {
        for (int i = 0; i + 1 < word.Length; i++)
        {
            long key = ((long)word[i] << 32) | (uint)word[i + 1];
            long v = pairs.GetValueOrDefault(key) + n;
            if (v == 0) pairs.Remove(key); else pairs[key] = v;
        }
    }
}
