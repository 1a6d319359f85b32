import Foundation

/// A value guarded by a lock, for the few pieces of state that librdkafka callbacks touch from
/// threads other than the owner's (log lines, error counts, delivery counters).
///
/// `NSLock` is used instead of `Synchronization.Mutex` so the package keeps its macOS 14 floor.
final class Locked<Value>: @unchecked Sendable {
    // @unchecked Sendable: every access to `value` goes through `lock`.
    private let lock = NSLock()
    private var value: Value

    /// Wraps an initial value.
    init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value and returns its result.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// A copy of the current value.
    var current: Value {
        withLock { $0 }
    }
}
