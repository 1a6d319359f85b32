extension Duration {
    /// Whole milliseconds, truncated toward zero and saturating at the ends of `Int` (librdkafka
    /// takes `int` milliseconds; the callers clamp further to the C range). The same arithmetic
    /// as DriftCore's `wholeMilliseconds`, which this module does not import.
    var kafkaMilliseconds: Int {
        let (seconds, attoseconds) = components
        let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        let (total, overflow2) = ms.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        if overflow || overflow2 { return seconds > 0 ? .max : .min }
        return Int(clamping: total)
    }
}
