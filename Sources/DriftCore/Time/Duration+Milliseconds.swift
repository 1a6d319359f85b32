extension Duration {
    /// The duration in whole milliseconds, truncated toward zero (saturating at the ends of
    /// `Int64`): the unit of event time, of the configuration's spans and of the checkpoints.
    public var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds > 0 ? .max : .min }
        let (total, overflow2) = ms.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        if overflow2 { return seconds > 0 ? .max : .min }
        return total
    }
}
