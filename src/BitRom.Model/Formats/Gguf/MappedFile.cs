using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace BitRom.Model.Formats.Gguf;

/// <summary>
/// A read-only memory map of a whole file with <see cref="Memory{T}"/> views over it, so tensors are
/// ReadOnlyMemory&lt;byte&gt; without copies. Contract: views are valid until <see cref="Dispose"/>; whoever owns
/// the model (e.g. <c>LoadedModel</c>) owns this map.
/// </summary>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private byte* _base;

    public MappedFile(string path, long length)
    {
        Length = length;
        _map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _base = p + _view.PointerOffset;
    }

    /// <summary>File length in bytes.</summary>
    public long Length { get; }

    /// <summary>The first min(Length, int.MaxValue) bytes (headers live there).</summary>
    public ReadOnlySpan<byte> Head => new(Base, (int)Math.Min(Length, int.MaxValue));

    private byte* Base => _base != null ? _base : throw new ObjectDisposedException(nameof(MappedFile));

    /// <summary>A view of [offset, offset + length); the caller has checked the range.</summary>
    public ReadOnlyMemory<byte> Slice(long offset, int length) => new View(Base + offset, length).Memory;

    public void Dispose()
    {
        if (_base == null) return;
        _base = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }

    /// <summary>A MemoryManager over unmanaged mapped bytes (no pinning needed: the map does not move).</summary>
    private sealed class View(byte* pointer, int length) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => new(pointer, length);
        public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);
        public override void Unpin() { }
        protected override void Dispose(bool disposing) { }
    }
}
