import Logging

/// Logs at most `burst` lines per `intervalMillis` for a noisy condition (bad input), then
/// one summary line with the number suppressed, so a flood of bad events cannot flood the log.
public struct RateLimitedLog: Sendable {
    public let burst: Int
    public let intervalMillis: Int64
    private var windowStart: Int64 = 0
    private var emitted = 0
    private var suppressed = 0

    public init(burst: Int = 20, intervalMillis: Int64 = 10_000) {
        self.burst = burst
        self.intervalMillis = intervalMillis
    }

    /// Logs `message` at `level` unless the budget of the current interval is spent.
    public mutating func log(
        _ logger: Logger, level: Logger.Level, _ message: @autoclosure () -> Logger.Message,
        metadata: @autoclosure () -> Logger.Metadata = [:], nowMillis: Int64
    ) {
        if nowMillis - windowStart >= intervalMillis {
            if suppressed > 0 {
                logger.log(
                    level: level, "suppressed \(suppressed) similar log lines in the last \(intervalMillis / 1000) s")
            }
            windowStart = nowMillis
            emitted = 0
            suppressed = 0
        }
        if emitted < burst {
            emitted += 1
            logger.log(level: level, message(), metadata: metadata())
        } else {
            suppressed += 1
        }
    }
}
