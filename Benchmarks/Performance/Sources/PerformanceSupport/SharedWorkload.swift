import Synchronization

/// A workload built on first use and kept for every iteration of a benchmark (generating events
/// or starting a broker per iteration would dominate the measurement).
public final class SharedWorkload<Value: Sendable>: Sendable {
    private let state: Mutex<Value?>
    private let make: @Sendable () throws -> Value

    /// - Parameter make: builds the workload; called once, on the first successful `get()`.
    public init(_ make: @escaping @Sendable () throws -> Value) {
        self.state = Mutex(nil)
        self.make = make
    }

    /// The workload, built now if this is the first call.
    public func get() throws -> Value {
        try state.withLock { value in
            if let value { return value }
            let made = try make()
            value = made
            return made
        }
    }

    /// Drops the workload (its resources are released with the last reference).
    public func reset() {
        state.withLock { $0 = nil }
    }
}
