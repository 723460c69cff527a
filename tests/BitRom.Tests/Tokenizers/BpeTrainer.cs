using BitRom.Model.Tokenizers;

namespace BitRom.Tests.Tokenizers;

/// <summary>
/// Learns a real byte-level BPE vocabulary from a corpus (Sennrich et al. 2016 merge loop over Llama-3 pre-tokenized
/// words): repeatedly merge the most frequent adjacent pair, ties broken by the ordinal order of the pair, so the result
/// is deterministic. Ids: 0..255 bytes, then merge results in merge order (duplicates of existing tokens are skipped).
/// </summary>
internal static class BpeTrainer
{
    public static (List<string> Tokens, List<(string, string)> Merges) Train(IEnumerable<string> corpus, int merges)
    {
        var pre = new PreTokenizer([PreTokenizer.Llama3Pattern]);
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string line in corpus)
            foreach (string piece in pre.Split(line))
            {
                string w = ByteLevel.Encode(piece);
                words[w] = words.GetValueOrDefault(w) + 1;
            }
        var split = words.ToDictionary(kv => kv.Key, kv => kv.Key.Select(c => c.ToString()).ToList(), StringComparer.Ordinal);
        var tokens = Enumerable.Range(0, 256).Select(b => ByteLevel.Char((byte)b).ToString()).ToList();
        var known = new HashSet<string>(tokens, StringComparer.Ordinal);
        var result = new List<(string, string)>();
        for (int m = 0; m < merges; m++)
        {
            var counts = new Dictionary<(string, string), int>();
            foreach (var (w, syms) in split)
                for (int i = 0; i + 1 < syms.Count; i++)
                    counts[(syms[i], syms[i + 1])] = counts.GetValueOrDefault((syms[i], syms[i + 1])) + words[w];
            if (counts.Count == 0) break;
            var best = counts.OrderByDescending(kv => kv.Value)
                .ThenBy(kv => kv.Key.Item1, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item2, StringComparer.Ordinal).First().Key;
            result.Add(best);
            string merged = best.Item1 + best.Item2;
            if (known.Add(merged)) tokens.Add(merged);
            foreach (List<string> syms in split.Values)
                for (int i = 0; i + 1 < syms.Count; i++)
                    if (syms[i] == best.Item1 && syms[i + 1] == best.Item2)
                    {
                        syms[i] = merged;
                        syms.RemoveAt(i + 1);
                    }
        }
        return (tokens, result);
    }
}
