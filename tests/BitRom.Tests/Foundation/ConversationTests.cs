using BitRom.Model.Architectures;
using BitRom.Model.Inference;
using BitRom.Model.Synthetic;
using BitRom.Model.Tokenizers;
using Xunit;

namespace BitRom.Tests.Foundation;

public class ConversationTests
{
    [Fact]
    public void Reply_WithoutTemplate_ContinuesTheTranscript()
    {
        ModelConfig c = Presets.Tiny;
        var weights = SyntheticModel.Create(c, seed: 4);
        var tok = new ByteTokenizer(c.VocabSize, c.BosToken, c.EosToken);
        var greedy = new SamplerOptions { Temperature = 0 };
        Generator NewGen() => new(new Transformer(c, weights, contextLength: 96), tok);

        var chat = new Conversation(NewGen(), tok, template: null);
        chat.Reply("hello ", 6, greedy);
        chat.Reply(" again", 6, greedy);

        // The second turn sees the first prompt, the first reply and the new text, as one generation would.
        string first = NewGen().Generate("hello ", 6, greedy).Text;
        string second = NewGen().Generate("hello " + first + " again", 6, greedy).Text;
        Assert.Equal(first, chat.Messages[1].Content);
        Assert.Equal(second, chat.Messages[3].Content);
        Assert.Equal(["user", "assistant", "user", "assistant"], chat.Messages.Select(m => m.Role));
    }

    [Fact]
    public void Reply_WithTemplate_RendersTheWholeHistory()
    {
        var template = new ChatTemplate(ChatFormat.Falcon3);
        string rendered = template.Apply([new ChatMessage("user", "hi"), new ChatMessage("assistant", "yo"), new ChatMessage("user", "ok")]);
        Assert.Equal("<|user|>\nhi\n<|assistant|>\nyo\n<|user|>\nok\n<|assistant|>\n", rendered);
    }
}
