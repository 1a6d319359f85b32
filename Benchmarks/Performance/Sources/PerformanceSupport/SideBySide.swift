/// Times a subject and its reference back to back, so both see the same machine state
/// (other load, frequency, caches): their ratio is far steadier than either figure alone.
public enum SideBySide {
    /// Seconds each closure took in one round.
    public struct Round: Sendable, Equatable {
        /// Seconds the subject took.
        public var subject: Double
        /// Seconds the reference took.
        public var reference: Double
    }

    /// Runs `subject` and `reference` once each; the order alternates with `iteration` so
    /// neither always runs on warm (or cold) caches.
    public static func round(
        iteration: Int, subject: () throws -> Void, reference: () throws -> Void
    ) rethrows -> Round {
        if iteration % 2 == 0 {
            let s = try seconds(subject)
            let r = try seconds(reference)
            return Round(subject: s, reference: r)
        } else {
            let r = try seconds(reference)
            let s = try seconds(subject)
            return Round(subject: s, reference: r)
        }
    }

    /// Wall-clock seconds `body` took, from a monotonic clock.
    public static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try body()
        let elapsed = start.duration(to: clock.now)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}
