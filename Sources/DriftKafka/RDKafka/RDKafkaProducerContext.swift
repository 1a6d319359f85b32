import Crdkafka
import Logging

/// The producer's callback context: delivery report counting and failure reporting.
///
/// Threading: `dr_msg_cb` runs on whichever thread serves the producer's queue (`poll`, `flush`,
/// or a `send` that polls), possibly several at once, so the counters are locked and the
/// failure handler must be `@Sendable`.
final class RDKafkaProducerContext: RDKafkaClientContext, @unchecked Sendable {
    private let counters = Locked<(delivered: Int, failed: Int)>((0, 0))
    private let onDeliveryFailure: @Sendable (KafkaDeliveryFailure) -> Void

    /// Creates a producer context.
    init(logger: Logger, onDeliveryFailure: @escaping @Sendable (KafkaDeliveryFailure) -> Void) {
        self.onDeliveryFailure = onDeliveryFailure
        super.init(logger: logger)
    }

    /// Messages acknowledged by the broker.
    var deliveredCount: Int { counters.current.delivered }
    /// Messages whose delivery failed.
    var failedCount: Int { counters.current.failed }

    /// Registers the delivery report callback on a producer configuration.
    static func registerDeliveryReportCallback(on conf: OpaquePointer) {
        rd_kafka_conf_set_dr_msg_cb(conf) { rk, message, opaque in
            guard let message,
                let context = RDKafkaClientContext.from(opaque: opaque) as? RDKafkaProducerContext
            else { return }
            context.handleDeliveryReport(message.pointee, client: rk.map { String(cString: rd_kafka_name($0)) } ?? "")
        }
    }

    private func handleDeliveryReport(_ message: rd_kafka_message_t, client: String) {
        guard message.err != RD_KAFKA_RESP_ERR_NO_ERROR else {
            counters.withLock { $0.delivered += 1 }
            return
        }
        counters.withLock { $0.failed += 1 }
        let topic = message.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        let partition: Int32? = message.partition >= 0 ? message.partition : nil
        let key = message.key.map { Array(UnsafeRawBufferPointer(start: $0, count: message.key_len)) }
        let error = KafkaError(
            code: .delivery, message.err, context: "delivery failed", topic: topic, partition: partition)
        logger.warning(
            "message not delivered: \(error)",
            metadata: [
                KafkaLogMetadataKey.client: .string(client),
                KafkaLogMetadataKey.topic: .string(topic),
                KafkaLogMetadataKey.error: .string(KafkaResponseCode(message.err).name)
            ])
        onDeliveryFailure(KafkaDeliveryFailure(topic: topic, partition: partition, key: key, error: error))
    }
}
