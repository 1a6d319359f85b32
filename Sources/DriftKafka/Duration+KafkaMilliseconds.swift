extension Duration {
    /// Whole milliseconds, rounded down and clamped to `Int` (librdkafka takes `int` milliseconds;
    /// the callers clamp further to the C range).
    var kafkaMilliseconds: Int {
        let (seconds, attoseconds) = components
        let (fromSeconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000)
        if overflow { return seconds < 0 ? Int(Int64.min / 2) : Int(Int64.max / 2) }
        return Int(clamping: fromSeconds + attoseconds / 1_000_000_000_000_000)
    }
}
