import DriftKafka
import Logging
import ServiceLifecycle

/// Returns the memory that the C allocator holds free to the kernel, every `intervalSeconds`.
///
/// librdkafka's broker thread allocates the consumer's prefetched messages (up to
/// `queued.max.messages.kbytes`) in its own glibc malloc arena. When the daemon falls behind for
/// a moment (a pause, a CPU-starved host) the prefetch grows to hundreds of MiB; once it is
/// consumed, glibc keeps those pages as free chunks in the middle of the arena instead of giving
/// them back, so the resident size stays at the largest backlog ever seen. Measured in the soak
/// (docs/operations.md, "Soak test"): 186 of 190 MiB of one arena free, in 4 chunks of 26-64 MiB,
/// after a backlog of 930,000 events had been consumed. `malloc_trim(0)` releases the pages of free chunks
/// in every arena (`MADV_DONTNEED`, `AllocatorTrim`), and fixed trim and `mmap` thresholds
/// (`AllocatorTrim.configureThresholds`, set when the service starts) keep the top of each arena
/// from holding up to 64 MiB, so the resident size follows the live heap again.
public struct HeapTrimmer: Service {
    /// Time between trims.
    public static let defaultIntervalSeconds = 10
    private let intervalSeconds: Int
    private let logger: Logger

    /// - Parameters:
    ///   - intervalSeconds: time between trims (at least 1).
    ///   - logger: logs each trim that released memory, at debug level.
    public init(intervalSeconds: Int = HeapTrimmer.defaultIntervalSeconds, logger: Logger) {
        self.intervalSeconds = max(1, intervalSeconds)
        self.logger = logger
    }

    public func run() async throws {
        if !AllocatorTrim.configureThresholds() {
            logger.warning("malloc thresholds not accepted; freed memory may stay resident")
        }
        let seconds = intervalSeconds
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let slept: Void? = try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: .seconds(seconds))
            }
            guard slept != nil else { return }
            if Self.trim() { logger.debug("heap trimmed: free allocator pages returned to the kernel") }
        }
    }

    /// Releases the free pages of every malloc arena; true when memory was returned.
    @discardableResult
    public static func trim() -> Bool {
        AllocatorTrim.trim()
    }
}
