import Crdkafka

/// Returns memory that the C allocator holds free to the kernel.
///
/// librdkafka's broker thread allocates the consumer's prefetched messages in its own glibc malloc
/// arena. After a backlog has been prefetched and consumed, glibc keeps the freed pages as free
/// chunks inside that arena, so the process stays resident at its largest backlog. `malloc_trim(0)`
/// releases the whole free pages of every arena (`MADV_DONTNEED`); the allocator reuses the
/// address space as before.
public enum AllocatorTrim {
    /// Trims every malloc arena; true when memory was returned to the kernel.
    @discardableResult
    public static func trim() -> Bool {
        malloc_trim(0) == 1
    }
}
