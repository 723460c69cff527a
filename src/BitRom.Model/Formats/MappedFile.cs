using System.Buffers;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using BitRom.Numerics.Memory;

namespace BitRom.Model.Formats;

/// <summary>
/// A read-only view of a whole file (memory-mapped, or a byte array for tests) that hands out
/// <see cref="ReadOnlyMemory{T}"/> windows without copying; shared by the GGUF and safetensors readers.
/// Contract: windows are valid until disposal; whoever owns the model (e.g. <see cref="LoadedModel"/>) owns the map.
/// </summary>
public sealed unsafe partial class MappedFile : IDisposable
{
    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte* _pointer;
    private readonly byte[]? _bytes;
    private bool _disposed;

    private MappedFile(string name, long length, MemoryMappedFile? map, MemoryMappedViewAccessor? view, byte* pointer, byte[]? bytes)
    {
        Name = name;
        Length = length;
        _map = map;
        _view = view;
        _pointer = pointer;
        _bytes = bytes;
    }

    /// <summary>File name used in error messages.</summary>
    public string Name { get; }

    /// <summary>File length in bytes.</summary>
    public long Length { get; }

    /// <summary>The first min(Length, int.MaxValue) bytes (headers live there).</summary>
    public ReadOnlySpan<byte> Head => Slice(0, Math.Min(Length, int.MaxValue)).Span;

    /// <summary>Maps <paramref name="path"/> read-only (an empty file is held as an empty array: it cannot be mapped).</summary>
    public static MappedFile Open(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{path}: file not found", path);
        if (info.Length == 0) return new MappedFile(path, 0, null, null, null, []);
        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* p = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            return new MappedFile(path, info.Length, map, view, p + view.PointerOffset, null);
        }
        catch
        {
            view?.Dispose();
            map.Dispose();
            throw;
        }
    }

    /// <summary>Wraps bytes already in memory (tests, fuzzing).</summary>
    public static MappedFile FromBytes(string name, byte[] bytes) => new(name, bytes.Length, null, null, null, bytes);

    /// <summary>A window of <paramref name="length"/> bytes at <paramref name="offset"/>; checked against the file length.</summary>
    public ReadOnlyMemory<byte> Slice(long offset, long length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (offset < 0 || length < 0 || offset > Length - length)
            throw new InvalidDataException($"{Name}: range [{offset}, {offset}+{length}) outside the file of {Length} bytes");
        if (length > int.MaxValue) throw new InvalidDataException($"{Name}: range of {length} bytes at {offset} exceeds 2 GiB");
        if (_bytes is not null) return new ReadOnlyMemory<byte>(_bytes, (int)offset, (int)length);
        return new WindowManager(this, offset, (int)length).Memory;
    }

    /// <summary>
    /// Tells the kernel this process is done with the bytes [offset, offset+length) for now: their whole pages leave
    /// the resident set (MADV_DONTNEED; a later read maps them again from the page cache, unchanged). Loaders call
    /// it after decoding a tensor into its own layout, so a model is not resident twice. No effect off Linux or
    /// for in-memory files.
    /// </summary>
    public void Release(long offset, long length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_bytes is not null || !OperatingSystem.IsLinux() || offset < 0 || length <= 0 || offset > Length - length) return;
        long page = Environment.SystemPageSize;
        long start = ((long)_pointer + offset + page - 1) / page * page, end = ((long)_pointer + offset + length) / page * page;
        if (end > start) _ = Madvise((nint)start, (nuint)(end - start), MadviseDontNeed);
    }

    private const int MadviseDontNeed = 4; // <sys/mman.h> MADV_DONTNEED on Linux

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }
        _map?.Dispose();
    }

    /// <summary>Memory over a raw pointer range of the mapped view; its pages can be released (<see cref="IReleasablePages"/>).</summary>
    private sealed class WindowManager(MappedFile file, long offset, int length) : MemoryManager<byte>, IReleasablePages
    {
        private readonly byte* pointer = file._pointer + offset;

        public void ReleasePages(int start, int count)
        {
            if (start < 0 || count < 0 || start > length - count) throw new ArgumentOutOfRangeException(nameof(start), $"[{start}, {start}+{count}) outside a window of {length} bytes");
            file.Release(offset + start, count);
        }

        public override Span<byte> GetSpan() => new(pointer, length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
