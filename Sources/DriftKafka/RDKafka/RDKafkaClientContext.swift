import Crdkafka
import Logging

/// The Swift side of one librdkafka client instance: its logger and error tally. A retained
/// reference is stored as the configuration opaque, so C callbacks (`log_cb`, `error_cb`, and the
/// consumer's and producer's own callbacks) recover it from `rd_kafka_opaque` or their opaque
/// argument. The reference is released only after `rd_kafka_destroy` returned (see `RDKafkaClient`),
/// so no callback can outlive it.
///
/// `log_cb` runs on librdkafka's internal threads, hence the locking here.
class RDKafkaClientContext: @unchecked Sendable {
    // @unchecked Sendable: `logger` is immutable and Sendable; the tally is behind a lock.
    // Subclasses document their own state.

    /// The logger librdkafka's log lines and errors are routed to.
    let logger: Logger
    private let tally = Locked<(count: Int, last: KafkaError?)>((0, nil))

    /// Creates a context logging to `logger`.
    init(logger: Logger) {
        self.logger = logger
    }

    /// The number of errors librdkafka reported through `error_cb`.
    var errorCount: Int {
        tally.current.count
    }

    /// The last error reported through `error_cb`.
    var lastError: KafkaError? {
        tally.current.last
    }

    /// Recovers the context from a configuration opaque.
    static func from(opaque: UnsafeMutableRawPointer?) -> RDKafkaClientContext? {
        guard let opaque else { return nil }
        return Unmanaged<RDKafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
    }

    /// Routes one librdkafka log line (syslog level) into swift-log.
    func log(syslogLevel: Int32, facility: String, message: String, client: String) {
        logger.log(
            level: Self.logLevel(syslogLevel: syslogLevel),
            "\(message)",
            metadata: [
                KafkaLogMetadataKey.client: .string(client),
                KafkaLogMetadataKey.facility: .string(facility)
            ]
        )
    }

    /// Logs and counts an error reported through `error_cb`.
    func recordError(_ err: rd_kafka_resp_err_t, reason: String, client: String) {
        let response = KafkaResponseCode(err)
        let error = KafkaError(
            code: err == RD_KAFKA_RESP_ERR__FATAL ? .fatal : .consume,
            message: reason,
            responseCode: response,
            isFatal: err == RD_KAFKA_RESP_ERR__FATAL
        )
        tally.withLock { tally in
            tally.count += 1
            tally.last = error
        }
        let level: Logger.Level
        switch err {
        case RD_KAFKA_RESP_ERR__FATAL: level = .critical
        case RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__RESOLVE:
            level = .warning
        default: level = .error
        }
        logger.log(
            level: level,
            "librdkafka error: \(reason)",
            metadata: [
                KafkaLogMetadataKey.client: .string(client),
                KafkaLogMetadataKey.error: .string(response.name)
            ]
        )
    }

    /// Maps a syslog(3) level (librdkafka's `log_level`) to a swift-log level.
    static func logLevel(syslogLevel: Int32) -> Logger.Level {
        switch syslogLevel {
        case ...2: .critical  // emerg, alert, crit
        case 3: .error
        case 4: .warning
        case 5: .notice
        case 6: .info
        default: .debug
        }
    }
}
