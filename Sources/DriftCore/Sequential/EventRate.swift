import Foundation

/// A model's event rate in event time, for turning a false-alert budget per period into run
/// lengths per event.
///
/// Events are counted in epochs of at least `epochMillis` of event time (and `minimumEvents`
/// events), or `maximumEvents` events, whichever comes first; each closed epoch's rate (events
/// over the span of their timestamps) moves the estimate's logarithm a quarter of the way
/// (exponential smoothing over about four epochs). Before the first epoch closes the rate is
/// `assumedPerMillisecond` (1,000 events/s): a wrong guess moves each threshold by the log of the
/// ratio (a factor 10 is 2.3 nats on thresholds of about 28) and lasts one epoch. The estimate
/// is clamped to [10⁻⁶, 10⁴] events per ms.
public struct EventRate: Sendable, Codable, Equatable {
    /// Rate before any epoch closed, events per ms.
    public static let assumedPerMillisecond = 1.0
    /// Event time an epoch covers at least.
    public static let epochMillis: Int64 = 60_000
    /// Events an epoch holds at least.
    public static let minimumEvents = 100
    /// Events at which an epoch closes whatever its span.
    public static let maximumEvents = 1_000_000

    /// The estimate, events per ms.
    public private(set) var perMillisecond: Double = EventRate.assumedPerMillisecond
    /// Epochs behind the estimate.
    public private(set) var epochs: Int = 0
    private var events: Int = 0
    private var firstMillis: Int64 = .max
    private var lastMillis: Int64 = .min

    public init() {}

    /// Counts `count` events whose timestamps span `minMillis ... maxMillis`; returns whether the estimate changed.
    @discardableResult
    public mutating func observe(count: Int, minMillis: Int64, maxMillis: Int64) -> Bool {
        guard count > 0 else { return false }
        events += count
        firstMillis = min(firstMillis, minMillis)
        lastMillis = max(lastMillis, maxMillis)
        let span = lastMillis > firstMillis ? Double(lastMillis - firstMillis) : 0
        guard (span >= Double(Self.epochMillis) && events >= Self.minimumEvents) || events >= Self.maximumEvents else {
            return false
        }
        let rate = min(1e4, max(1e-6, Double(events) / max(span, 1)))
        perMillisecond =
            epochs == 0 ? rate : Foundation.exp(0.75 * Foundation.log(perMillisecond) + 0.25 * Foundation.log(rate))
        epochs += 1
        events = 0
        firstMillis = .max
        lastMillis = .min
        return true
    }

    /// Counts a slice of a batch's timestamps.
    @discardableResult
    public mutating func observe(_ timestamps: ArraySlice<Int64>) -> Bool {
        guard let first = timestamps.first else { return false }
        var low = first
        var high = first
        for t in timestamps {
            if t < low { low = t }
            if t > high { high = t }
        }
        return observe(count: timestamps.count, minMillis: low, maxMillis: high)
    }
}
