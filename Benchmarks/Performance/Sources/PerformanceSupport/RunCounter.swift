import Synchronization

/// A thread-safe sequence number (unique consumer group ids per run).
public final class RunCounter: Sendable {
    private let value = Atomic<Int>(0)

    /// A counter starting at 0.
    public init() {}

    /// The next number: 1, 2, 3, ...
    public func next() -> Int { value.add(1, ordering: .relaxed).newValue }
}
