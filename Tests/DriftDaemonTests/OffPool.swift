import Foundation

/// Runs blocking work (a child process, a Kafka read with a deadline) on a thread of its own and
/// awaits it.
///
/// Swift's cooperative pool has one thread per core: two on the CI machine. A test that blocks a
/// pool thread while it waits for a pipeline under test can starve that pipeline's own task of a
/// thread to start on; two such tests at once deadlock until their deadlines pass. Tests wait
/// through this instead, so the pool stays free.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do {
                continuation.resume(returning: try body())
            } catch {
                continuation.resume(throwing: error)
            }
        }
        thread.name = "test-blocking-wait"
        thread.start()
    }
}
