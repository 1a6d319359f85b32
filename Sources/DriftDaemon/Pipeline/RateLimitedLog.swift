import DriftCore
import Logging

/// Logs at most `burst` lines per `interval` of wall-clock time for a noisy condition (bad input), then
/// one summary line with the number suppressed, so a flood of bad events cannot flood the log.
public struct RateLimitedLog: Sendable {
    /// Lines logged per interval before the rest are counted instead.
    public let burst: Int
    /// The interval (wall clock).
    public let interval: Duration
    private let intervalMillis: Int64
    private var windowStart: Int64 = 0
    private var emitted = 0
    private var suppressed = 0

    /// A log that lets `burst` lines through per `interval`.
    public init(burst: Int = 20, interval: Duration = .seconds(10)) {
        self.burst = burst
        self.interval = interval
        self.intervalMillis = max(1, interval.wholeMilliseconds)
    }

    /// Logs `message` at `level` unless the budget of the current interval is spent.
    public mutating func log(
        _ logger: Logger, level: Logger.Level, _ message: @autoclosure () -> Logger.Message,
        metadata: @autoclosure () -> Logger.Metadata = [:], now: WallClockTime
    ) {
        let nowMillis = now.millisecondsSinceEpoch
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
