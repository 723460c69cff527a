using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using BitRom.Hardware.Components;
using BitRom.Hardware.Mapping;

namespace BitRom.Hardware.Mask;

/// <summary>Reads a mask image (untrusted input): every count and offset is checked against the file length first.</summary>
public static class MaskImageReader
{
    /// <summary>Reads and verifies <paramref name="path"/>; throws <see cref="InvalidDataException"/> naming file, offset and fault.</summary>
    public static RomImage Read(string path)
    {
        // The reader holds the image and every macro in memory; 2 GiB of mask is about 2,000 default macros.
        long length = new FileInfo(path).Length;
        if (length > Array.MaxLength) throw new InvalidDataException($"{path}: {length} bytes is more than the in-memory reader handles ({Array.MaxLength})");
        return Read(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads and verifies an image held in memory; <paramref name="where"/> names it in errors.</summary>
    public static RomImage Read(ReadOnlySpan<byte> file, string where)
    {
        var r = new Cursor(file, where);
        if (file.Length < 16 + MaskImage.ChecksumBytes) r.Fail(0, $"{file.Length} bytes is too short for a mask image");
        if (!file[..8].SequenceEqual(MaskImage.Magic)) r.Fail(0, "bad magic (not a BitROM mask image)");
        // The checksum is verified before anything else is trusted: a corrupted byte anywhere is reported as such.
        int body = file.Length - MaskImage.ChecksumBytes;
        if (!SHA256.HashData(file[..body]).AsSpan().SequenceEqual(file[body..]))
            r.Fail(body, "SHA-256 checksum mismatch: the file is corrupted");
        r.Pos = 8;
        ushort version = r.U16();
        if (version != MaskImage.Version) r.Fail(8, $"version {version}, this reader knows {MaskImage.Version}");
        r.U16();
        uint headerLength = r.U32();
        int rows = r.Int("array rows", 1, 1 << 16), cols = r.Int("array cols", 1, 1 << 16);
        foreach (Line line in new[] { Line.M1, Line.M2, Line.M3 })
        {
            int at = r.Pos;
            byte code = r.U8();
            sbyte trit = (sbyte)r.U8();
            r.U16();
            float level = r.F32();
            if (code != (byte)line || trit != BiRoma.TritOf(line) || level != (float)BiRoma.LevelVdd(line))
                r.Fail(at, $"line map entry {line} = (code {code}, trit {trit}, level {level} VDD) differs from this model's");
        }
        byte[] modelHash = r.Bytes(32).ToArray();
        int matrixCount = r.Int("matrix count", 0, body / 15);
        var shapes = new MatrixShape[matrixCount];
        var assignments = new PlaneAssignment[matrixCount];
        for (int i = 0; i < matrixCount; i++)
        {
            int nameLength = r.U16();
            if (nameLength > MaskImage.MaxNameBytes) r.Fail(r.Pos - 2, $"matrix {i} name length {nameLength} > {MaskImage.MaxNameBytes}");
            string name = Encoding.UTF8.GetString(r.Bytes(nameLength));
            int n = r.Int($"rows of '{name}'", 1, int.MaxValue), k = r.Int($"cols of '{name}'", 1, int.MaxValue);
            float scale = r.F32();
            byte a = r.U8();
            if (a > 1) r.Fail(r.Pos - 1, $"plane assignment {a} of '{name}' is not 0 (inputs) or 1 (outputs)");
            shapes[i] = new MatrixShape(name, n, k, scale);
            assignments[i] = a == 1 ? PlaneAssignment.Outputs : PlaneAssignment.Inputs;
        }
        int macroCount = r.Int("macro count", 0, body / 24);
        var macros = new (PlaneBlock F, PlaneBlock? B)[macroCount];
        for (int i = 0; i < macroCount; i++)
        {
            int at = r.Pos;
            PlaneBlock? f = r.Block(), b = r.Block();
            if (f is null) r.Fail(at, $"macro {i} has no plane F block");
            macros[i] = (f!.Value, b);
        }
        if (r.Pos != headerLength) r.Fail(12, $"header length field says {headerLength}, header ends at {r.Pos}");
        long cellBytes = MaskImage.CellBytes(rows, cols);
        long want = headerLength + macroCount * cellBytes + MaskImage.ChecksumBytes;
        if (want != file.Length) r.Fail(r.Pos, $"{macroCount} macros of {rows} x {cols} need a {want}-byte file, got {file.Length}");
        RomMapping mapping;
        try
        {
            mapping = RomCompiler.Build(shapes, assignments, macros, rows, cols);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{where}: {e.Message}", e);
        }
        var arrays = new BiRoma[macroCount];
        var cells = new byte[(long)rows * cols];
        for (int i = 0; i < macroCount; i++)
        {
            long start = headerLength + i * cellBytes;
            ReadOnlySpan<byte> packed = file.Slice((int)start, (int)cellBytes);
            for (int c = 0; c < cells.Length; c++) cells[c] = (byte)((packed[c >> 1] >> ((c & 1) * 4)) & 0xF);
            arrays[i] = BiRoma.FromCells(rows, cols, cells, $"{where}: macro {i} (offset {start})");
        }
        return RomImage.FromMacros(mapping, modelHash, arrays);
    }

    private ref struct Cursor(ReadOnlySpan<byte> file, string where)
    {
        private readonly ReadOnlySpan<byte> _file = file;
        public int Pos;

        public readonly void Fail(long offset, string what) => throw new InvalidDataException($"{where}: offset {offset}: {what}");

        public ReadOnlySpan<byte> Bytes(int n)
        {
            if (n < 0 || Pos + (long)n > _file.Length - MaskImage.ChecksumBytes) Fail(Pos, $"{n} bytes run past the end of the header");
            ReadOnlySpan<byte> s = _file.Slice(Pos, n);
            Pos += n;
            return s;
        }

        public byte U8() => Bytes(1)[0];
        public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));
        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));
        public float F32() => BinaryPrimitives.ReadSingleLittleEndian(Bytes(4));

        public int Int(string what, int min, int max)
        {
            int at = Pos;
            int v = BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));
            if (v < min || v > max) Fail(at, $"{what} = {v} outside [{min}, {max}]");
            return v;
        }

        public PlaneBlock? Block()
        {
            int m = BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));
            int i = Int("block input start", 0, int.MaxValue), o = Int("block output start", 0, int.MaxValue);
            return m < 0 ? null : new PlaneBlock(m, i, o);
        }
    }
}
