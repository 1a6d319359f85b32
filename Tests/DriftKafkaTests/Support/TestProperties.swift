/// librdkafka properties that keep tests on the mock cluster short. The mock group coordinator
/// waits `session.timeout.ms - 1 s` for members before electing a leader on rebalance.
enum TestProperties {
    /// Consumer settings for quick joins and rebalances.
    static let consumer: [String: String] = [
        "session.timeout.ms": "2500",
        "heartbeat.interval.ms": "250",
        "topic.metadata.refresh.interval.ms": "1000"
    ]

    /// `consumer` with the incremental (cooperative-sticky) protocol, for the tests of that path.
    static let cooperativeConsumer = consumer.merging(["partition.assignment.strategy": "cooperative-sticky"]) {
        _, new in new
    }

    /// A unique name for a topic or group, so tests running in parallel never share one.
    static func unique(_ prefix: String) -> String {
        "\(prefix)-\(UInt32.random(in: 0...UInt32.max))"
    }
}
