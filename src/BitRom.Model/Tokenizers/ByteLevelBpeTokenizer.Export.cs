namespace BitRom.Model.Tokenizers;

public sealed partial class ByteLevelBpeTokenizer
{
    /// <summary>The byte-level vocabulary string of <paramref name="id"/> (specials: their content), or null for an unused id.</summary>
    public string? TokenText(int id)
    {
        if ((uint)id >= (uint)VocabSize) throw new ArgumentOutOfRangeException(nameof(id), id, $"vocabulary has {VocabSize} ids");
        return _idToToken[id] ?? (_specialById.TryGetValue(id, out SpecialToken? s) ? s.Content : null);
    }

    /// <summary>The merges in priority order as <c>"left right"</c> lines (GGUF <c>tokenizer.ggml.merges</c>, tokenizer.json <c>merges</c>).</summary>
    public IReadOnlyList<string> MergeLines() => [.. _ranks.OrderBy(kv => kv.Value).Select(kv => kv.Key.Item1 + " " + kv.Key.Item2)];
}
