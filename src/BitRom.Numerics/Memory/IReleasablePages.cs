namespace BitRom.Numerics.Memory;

/// <summary>
/// Memory whose pages can leave the process's resident set and come back unchanged on the next read: a read-only
/// file mapping (its pages are re-read from the page cache). Never implemented by managed or anonymous memory,
/// whose dropped pages would read back as zeros.
/// </summary>
/// <remarks>Implemented by the memory manager of a mapped model file; the engine calls it once it has copied
/// bytes into a layout of its own, so a model is not resident twice.</remarks>
public interface IReleasablePages
{
    /// <summary>Drops the whole pages inside [start, start + length) of this memory from the resident set.</summary>
    void ReleasePages(int start, int length);
}
