import Crdkafka

/// Keeps the C allocator from holding on to memory that librdkafka's buffers freed.
///
/// librdkafka's broker thread allocates the consumer's prefetched messages in its own glibc malloc
/// arena. glibc keeps freed memory in two places that a long-running consumer never gets back:
/// - free chunks inside an arena, after a prefetched backlog was consumed: `trim()`
///   (`malloc_trim(0)`) releases their whole pages (`MADV_DONTNEED`) in every arena;
/// - the top of a thread's arena, which `malloc_trim` does not shrink and `free` shrinks only above
///   the trim threshold. glibc raises that threshold to twice the largest freed `mmap`ed block
///   (up to 64 MiB) once such a block is freed, as librdkafka's large fetch buffers are.
///   `configureThresholds()` fixes it at 1 MiB (and the `mmap` threshold at 4 MiB), which also
///   turns that dynamic adjustment off.
public enum AllocatorTrim {
    /// Trim threshold set by `configureThresholds()`: free memory above this at an arena's top
    /// goes back to the kernel at the next `free`.
    public static let trimThresholdBytes: Int32 = 1 << 20
    /// `mmap` threshold set by `configureThresholds()`: larger blocks get their own mapping,
    /// returned to the kernel when freed.
    public static let mmapThresholdBytes: Int32 = 4 << 20

    /// Fixes glibc's trim and `mmap` thresholds (see the type's description); true when both
    /// were accepted. Process-wide; call once at start-up.
    @discardableResult
    public static func configureThresholds() -> Bool {
        mallopt(M_TRIM_THRESHOLD, trimThresholdBytes) == 1 && mallopt(M_MMAP_THRESHOLD, mmapThresholdBytes) == 1
    }

    /// Trims every malloc arena; true when memory was returned to the kernel.
    @discardableResult
    public static func trim() -> Bool {
        malloc_trim(0) == 1
    }
}
