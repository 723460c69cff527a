namespace BitRom.Model.Tokenizers;

/// <summary>
/// A token matched verbatim in the input before pre-tokenization (HF <c>added_tokens</c>; GGUF token types
/// CONTROL and USER_DEFINED). <see cref="Control"/> tokens decode to nothing; user-defined ones decode to their text.
/// </summary>
public sealed record SpecialToken(int Id, string Content, bool Control, bool LStrip = false, bool RStrip = false);
