using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using BitRom.Hardware.Components;
using BitRom.Hardware.Mapping;

namespace BitRom.Hardware.Mask;

/// <summary>
/// The ROM mask image: geometry, line map, model hash, mapping table, every transistor's (E, O) line pair and a
/// SHA-256 trailer. Byte layout: <c>Mask/MASK-FORMAT.md</c>.
/// </summary>
public static class MaskImage
{
    /// <summary>File magic, ASCII "BITROMMK".</summary>
    public static ReadOnlySpan<byte> Magic => "BITROMMK"u8;

    /// <summary>Format version this code writes and reads.</summary>
    public const ushort Version = 1;

    /// <summary>Bytes of the SHA-256 trailer.</summary>
    public const int ChecksumBytes = 32;

    /// <summary>Longest matrix name accepted (bytes of UTF-8), a sanity bound for untrusted files.</summary>
    public const int MaxNameBytes = 1024;

    /// <summary>Writes <paramref name="image"/> to <paramref name="path"/>, building one macro at a time.</summary>
    public static void Write(RomImage image, string path)
    {
        using FileStream fs = File.Create(path);
        Write(image, fs);
    }

    /// <summary>Writes <paramref name="image"/> to <paramref name="stream"/>.</summary>
    public static void Write(RomImage image, Stream stream)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Put(ReadOnlySpan<byte> bytes)
        {
            hash.AppendData(bytes);
            stream.Write(bytes);
        }
        Put(Header(image));
        RomMapping m = image.Mapping;
        var packed = new byte[CellBytes(m.ArrayRows, m.ArrayCols)];
        for (int i = 0; i < m.Macros.Count; i++)
        {
            ReadOnlySpan<byte> cells = image.BuildMacro(i).Cells;
            Array.Clear(packed);
            for (int c = 0; c < cells.Length; c++) packed[c >> 1] |= (byte)(cells[c] << ((c & 1) * 4));
            Put(packed);
        }
        stream.Write(hash.GetHashAndReset());
    }

    /// <summary>Bytes of one macro's cell data: two 4-bit cells per byte.</summary>
    public static long CellBytes(int rows, int cols) => ((long)rows * cols + 1) / 2;

    private static byte[] Header(RomImage image)
    {
        RomMapping m = image.Mapping;
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true); // BinaryWriter is little-endian
        w.Write(Magic);
        w.Write(Version);
        w.Write((ushort)0);
        w.Write(0u); // header length, patched below
        w.Write(m.ArrayRows);
        w.Write(m.ArrayCols);
        foreach (Line line in new[] { Line.M1, Line.M2, Line.M3 })
        {
            w.Write((byte)line);
            w.Write(BiRoma.TritOf(line));
            w.Write((ushort)0);
            w.Write((float)BiRoma.LevelVdd(line));
        }
        w.Write(image.ModelHash);
        w.Write(m.Matrices.Count);
        foreach (MatrixMapping mm in m.Matrices)
        {
            byte[] name = Encoding.UTF8.GetBytes(mm.Shape.Name);
            if (name.Length > MaxNameBytes) throw new ArgumentException($"matrix name '{mm.Shape.Name}' longer than {MaxNameBytes} bytes");
            w.Write((ushort)name.Length);
            w.Write(name);
            w.Write(mm.Shape.Rows);
            w.Write(mm.Shape.Cols);
            w.Write(mm.Shape.Scale);
            w.Write((byte)(mm.Assignment == PlaneAssignment.Outputs ? 1 : 0));
        }
        w.Write(m.Macros.Count);
        foreach (MacroPlacement p in m.Macros)
            foreach (PlaneBlock? b in new[] { p.F, p.B })
            {
                w.Write(b?.Matrix ?? -1);
                w.Write(b?.InputStart ?? 0);
                w.Write(b?.OutputStart ?? 0);
            }
        w.Flush();
        byte[] bytes = ms.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), (uint)bytes.Length);
        return bytes;
    }
}
