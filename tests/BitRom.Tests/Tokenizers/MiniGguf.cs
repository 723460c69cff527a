using System.Text;

namespace BitRom.Tests.Tokenizers;

/// <summary>
/// A metadata-only GGUF v3 writer (ggml docs/gguf.md: magic, version 3, tensor count 0, kv count, then typed
/// key/values) for the tokenizer parity test, which loads the file vocab-only in llama.cpp.
/// </summary>
internal static class MiniGguf
{
    public static void Write(string path, IEnumerable<KeyValuePair<string, object>> kvs)
    {
        var list = kvs.ToList();
        using var w = new BinaryWriter(File.Create(path), Encoding.UTF8);
        w.Write(0x46554747u); // "GGUF"
        w.Write(3u);
        w.Write(0UL);
        w.Write((ulong)list.Count);
        foreach (var (k, v) in list)
        {
            Str(w, k);
            Value(w, v, withType: true);
        }
    }

    private static void Str(BinaryWriter w, string s)
    {
        byte[] b = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)b.Length);
        w.Write(b);
    }

    private static uint TypeOf(object v) => v switch
    {
        uint => 4, int => 5, float => 6, bool => 7, string => 8, Array => 9,
        _ => throw new ArgumentException($"unsupported value {v.GetType()}"),
    };

    private static void Value(BinaryWriter w, object v, bool withType)
    {
        if (withType) w.Write(TypeOf(v));
        switch (v)
        {
            case uint u: w.Write(u); break;
            case int i: w.Write(i); break;
            case float f: w.Write(f); break;
            case bool b: w.Write((byte)(b ? 1 : 0)); break;
            case string s: Str(w, s); break;
            case Array a:
                object first = a.Length > 0 ? a.GetValue(0)! : "";
                w.Write(TypeOf(first));
                w.Write((ulong)a.Length);
                foreach (object item in a) Value(w, item, withType: false);
                break;
        }
    }
}
