import Dispatch

/// A point in time a test loop must not pass.
struct Deadline {
    private let end: UInt64

    /// A deadline `seconds` from now.
    init(seconds: Double) {
        end = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1_000_000_000)
    }

    /// Whether the deadline has passed.
    var hasPassed: Bool {
        DispatchTime.now().uptimeNanoseconds >= end
    }

    /// Repeats `step` until it returns true or the deadline passes; returns whether it succeeded.
    func repeatUntil(_ step: () throws -> Bool) rethrows -> Bool {
        while !hasPassed {
            if try step() { return true }
        }
        return false
    }
}
