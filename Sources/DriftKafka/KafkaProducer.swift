import Crdkafka
import Foundation
import Logging

/// An idempotent Kafka producer with delivery reports.
///
/// ## Threading
/// Thread-safe: `send`, `poll`, `flush` and the counters may be used from any thread at once
/// (librdkafka's produce call is thread-safe; DriftKafka serialises only the handle's lifetime
/// against `close()`). Delivery reports are served on the thread that calls `poll`, `flush`,
/// `close` or `send` (each `send` serves pending reports without waiting), so the
/// `onDeliveryFailure` handler must be quick and thread-safe. Call `poll()` periodically when
/// sends are rare, so reports (and failures) are seen promptly.
///
/// ## Configuration
/// Properties are layered: `defaultProperties`, then the `properties` passthrough (any librdkafka
/// property), then the explicit `bootstrap.servers`.
public final class KafkaProducer: @unchecked Sendable {
    // @unchecked Sendable: `client` is only read or replaced under `lock`.

    /// The defaults applied before the passthrough properties: `enable.idempotence=true`,
    /// `acks=all`, `linger.ms=5`, and a local queue bounded to 64 MiB or 100,000 messages
    /// (librdkafka's defaults are about 1 GiB and 100,000): with the consumer's 512 MiB prefetch
    /// the sum stays inside the shipped pod limit (docs/operations.md, "Memory").
    public static let defaultProperties: [String: String] = [
        "enable.idempotence": "true",
        "acks": "all",
        "linger.ms": "5",
        "queue.buffering.max.kbytes": "65536",
        "queue.buffering.max.messages": "100000"
    ]

    private let lock = NSRecursiveLock()
    private var client: RDKafkaClient?
    private let context: RDKafkaProducerContext
    private let queueFullTimeoutMillis: Int
    private let name: String

    /// Creates a producer.
    ///
    /// - Parameters:
    ///   - bootstrapServers: `host:port[,host:port...]`.
    ///   - properties: librdkafka properties overriding `defaultProperties`.
    ///   - logger: receives librdkafka's log lines, errors and delivery failures.
    ///   - queueFullTimeoutMillis: how long `send` waits for room when the local queue is full
    ///     before it throws `queueFull`.
    ///   - onDeliveryFailure: called for each message that could not be delivered, on the thread
    ///     serving delivery reports.
    /// - Throws: `KafkaError` with code `invalidConfiguration` naming a refused property, or
    ///   `clientCreation`.
    public init(
        bootstrapServers: String,
        properties: [String: String] = [:],
        logger: Logger,
        queueFullTimeoutMillis: Int = 10_000,
        onDeliveryFailure: @escaping @Sendable (KafkaDeliveryFailure) -> Void = { _ in }
    ) throws(KafkaError) {
        let context = RDKafkaProducerContext(logger: logger, onDeliveryFailure: onDeliveryFailure)
        self.context = context
        self.queueFullTimeoutMillis = max(0, queueFullTimeoutMillis)
        let merged = RDKafkaConfiguration.merge(
            defaults: Self.defaultProperties,
            passthrough: properties,
            required: [("bootstrap.servers", bootstrapServers)]
        )
        let client = try RDKafkaClient.make(type: RD_KAFKA_PRODUCER, properties: merged, context: context) { conf in
            RDKafkaProducerContext.registerDeliveryReportCallback(on: conf)
        }
        self.client = client
        self.name = client.name
    }

    deinit {
        do {
            try close()
        } catch {
            context.logger.error("producer dropped undelivered messages on deinit: \(error)")
        }
    }

    // MARK: - Sending

    /// Queues a message for delivery; librdkafka copies key, value and headers, so the arguments
    /// may be reused immediately. When the local queue is full, serves delivery reports and
    /// retries until `queueFullTimeoutMillis` has passed (back-pressure).
    ///
    /// - Parameters:
    ///   - topic: the destination topic.
    ///   - key: the key (partitioning and compaction), or `nil`.
    ///   - value: the payload.
    ///   - headers: record headers.
    /// - Throws: `KafkaError` with code `queueFull` after the back-pressure timeout, `fatal`,
    ///   `produce` (for example an invalid topic or a message too large), `invalidArgument`, or
    ///   `closed`.
    public func send(topic: String, key: [UInt8]?, value: [UInt8], headers: [KafkaHeader] = []) throws(KafkaError) {
        guard !topic.isEmpty else {
            throw KafkaError(code: .invalidArgument, message: "the topic name is empty")
        }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(queueFullTimeoutMillis) * 1_000_000
        while true {
            let attempt = produceOnce(topic: topic, key: key, value: value, headers: headers)
            guard let failure = attempt else { return }
            guard failure.responseCode == .queueFull else { throw failure }
            guard DispatchTime.now().uptimeNanoseconds < deadline else {
                throw KafkaError(
                    code: .queueFull,
                    message:
                        "the producer queue stayed full for \(queueFullTimeoutMillis) ms (\(outstandingMessages) messages outstanding)",
                    responseCode: .queueFull,
                    isRetriable: true,
                    topic: topic
                )
            }
            // Room is made as deliveries complete; serving reports here is the back-pressure.
            poll(timeout: .milliseconds(10))
        }
    }

    /// Queues a message with a UTF-8 key and value. See `send(topic:key:value:headers:)`.
    ///
    /// - Parameters:
    ///   - topic: the destination topic.
    ///   - key: the key, or `nil`.
    ///   - value: the payload text.
    ///   - headers: record headers.
    /// - Throws: as `send(topic:key:value:headers:)`.
    public func send(topic: String, key: String?, value: String, headers: [KafkaHeader] = []) throws(KafkaError) {
        try send(topic: topic, key: key.map { Array($0.utf8) }, value: Array(value.utf8), headers: headers)
    }

    /// One produce attempt; returns the failure instead of throwing (nothing C-owned is live at
    /// the caller's throw).
    private func produceOnce(topic: String, key: [UInt8]?, value: [UInt8], headers: [KafkaHeader]) -> KafkaError? {
        lock.lock()
        defer { lock.unlock() }
        guard let client else {
            return KafkaError(code: .closed, message: "send on a closed producer", topic: topic)
        }
        let handle = client.handle
        // Header names must stay alive for the produce call; librdkafka copies them.
        let headerNames = headers.map { strdup($0.name) }
        defer { headerNames.forEach { free($0) } }
        if headerNames.contains(where: { $0 == nil }) {
            return KafkaError(code: .produce, message: "out of memory copying header names", topic: topic)
        }

        let error: OpaquePointer? = topic.withCString { topicName in
            value.withUnsafeBytes { valueBytes in
                withOptionalBytes(key) { keyBytes in
                    withHeaderValues(headers) { headerValues in
                        var vus: [rd_kafka_vu_t] = []
                        vus.reserveCapacity(4 + headers.count)
                        var vu = rd_kafka_vu_t()
                        vu.vtype = RD_KAFKA_VTYPE_TOPIC
                        vu.u.cstr = topicName
                        vus.append(vu)

                        vu = rd_kafka_vu_t()
                        vu.vtype = RD_KAFKA_VTYPE_MSGFLAGS
                        vu.u.i = RD_KAFKA_MSG_F_COPY
                        vus.append(vu)

                        vu = rd_kafka_vu_t()
                        vu.vtype = RD_KAFKA_VTYPE_VALUE
                        vu.u.mem.ptr = valueBytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) }
                        vu.u.mem.size = valueBytes.count
                        vus.append(vu)

                        if let keyBytes {
                            vu = rd_kafka_vu_t()
                            vu.vtype = RD_KAFKA_VTYPE_KEY
                            vu.u.mem.ptr = keyBytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) }
                            vu.u.mem.size = keyBytes.count
                            vus.append(vu)
                        }
                        for (index, header) in headerValues.enumerated() {
                            vu = rd_kafka_vu_t()
                            vu.vtype = RD_KAFKA_VTYPE_HEADER
                            vu.u.header.name = UnsafePointer(headerNames[index])
                            vu.u.header.val = header?.baseAddress
                            vu.u.header.size = header?.count ?? 0
                            vus.append(vu)
                        }
                        return vus.withUnsafeBufferPointer { rd_kafka_produceva(handle, $0.baseAddress, $0.count) }
                    }
                }
            }
        }
        guard let error else {
            // Serve delivery reports that are already due, without waiting.
            rd_kafka_poll(handle, 0)
            return nil
        }
        let failure = KafkaError(code: .produce, consuming: error, context: "produce to \(topic)")
        if failure.responseCode == .fatal, let fatal = client.fatalError {
            return fatal
        }
        return KafkaError(
            code: failure.isFatal ? .fatal : .produce,
            message: failure.message,
            responseCode: failure.responseCode,
            isFatal: failure.isFatal,
            isRetriable: failure.isRetriable,
            topic: topic
        )
    }

    // MARK: - Delivery

    /// Serves delivery reports, waiting up to `timeout` for the first one.
    ///
    /// - Parameter timeout: how long to wait (0 = do not wait).
    /// - Returns: the number of events served (0 when closed).
    @discardableResult
    public func poll(timeout: Duration = .zero) -> Int {
        let timeoutMillis = timeout.kafkaMilliseconds
        lock.lock()
        defer { lock.unlock() }
        guard let client else { return 0 }
        return Int(rd_kafka_poll(client.handle, Int32(clamping: max(0, timeoutMillis))))
    }

    /// Waits until every queued message was delivered or failed, serving delivery reports.
    ///
    /// - Parameter timeout: the longest time to wait.
    /// - Throws: `KafkaError` with code `flushTimeout` reporting the outstanding message count,
    ///   or `closed`.
    public func flush(timeout: Duration) throws(KafkaError) {
        let timeoutMillis = timeout.kafkaMilliseconds
        let failure: KafkaError? = {
            lock.lock()
            defer { lock.unlock() }
            guard let client else {
                return KafkaError(code: .closed, message: "flush on a closed producer")
            }
            return Self.flush(client.handle, timeoutMillis: timeoutMillis)
        }()
        if let failure { throw failure }
    }

    private static func flush(_ handle: OpaquePointer, timeoutMillis: Int) -> KafkaError? {
        let err = rd_kafka_flush(handle, Int32(clamping: max(0, timeoutMillis)))
        let outstanding = Int(rd_kafka_outq_len(handle))
        guard err != RD_KAFKA_RESP_ERR_NO_ERROR || outstanding > 0 else { return nil }
        return KafkaError(
            code: .flushTimeout,
            message: "\(outstanding) messages still outstanding after \(timeoutMillis) ms",
            responseCode: KafkaResponseCode(err),
            isRetriable: true
        )
    }

    // MARK: - Topics

    /// Asks the cluster whether `topic` exists and can be written: its metadata must list the
    /// topic without an error and with at least one partition.
    ///
    /// - Parameters:
    ///   - topic: the topic to check.
    ///   - timeout: how long to wait for the metadata response.
    /// - Throws: `KafkaError` with code `topicMetadata` carrying the broker's error for the topic
    ///   (for example `UNKNOWN_TOPIC_OR_PART`, `TOPIC_AUTHORIZATION_FAILED`) or the request's
    ///   (for example a time-out while every broker is down), or `closed`.
    public func checkTopic(_ topic: String, timeout: Duration) throws(KafkaError) {
        let timeoutMillis = timeout.kafkaMilliseconds
        let failure: KafkaError? = {
            lock.lock()
            defer { lock.unlock() }
            guard let client else { return KafkaError(code: .closed, message: "checkTopic on a closed producer") }
            guard let handle = rd_kafka_topic_new(client.handle, topic, nil) else {
                return KafkaError(
                    code: .topicMetadata, rd_kafka_last_error(), context: "topic handle for \(topic)", topic: topic)
            }
            defer { rd_kafka_topic_destroy(handle) }
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let err = rd_kafka_metadata(client.handle, 0, handle, &metadata, Int32(clamping: max(1, timeoutMillis)))
            defer { metadata.map { rd_kafka_metadata_destroy($0) } }
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
                return KafkaError(code: .topicMetadata, err, context: "metadata for \(topic)", topic: topic)
            }
            for index in 0..<Int(metadata.pointee.topic_cnt) {
                let entry = metadata.pointee.topics[index]
                guard String(cString: entry.topic) == topic else { continue }
                if entry.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    return KafkaError(code: .topicMetadata, entry.err, context: "topic \(topic)", topic: topic)
                }
                if entry.partition_cnt == 0 {
                    return KafkaError(
                        code: .topicMetadata, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
                        context: "topic \(topic) has no partitions", topic: topic)
                }
                return nil
            }
            return KafkaError(
                code: .topicMetadata, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
                context: "topic \(topic) not in the metadata", topic: topic)
        }()
        if let failure { throw failure }
    }

    // MARK: - State

    /// Messages and requests not yet delivered or failed (`rd_kafka_outq_len`); 0 when closed.
    public var outstandingMessages: Int {
        lock.lock()
        defer { lock.unlock() }
        guard let client else { return 0 }
        return Int(rd_kafka_outq_len(client.handle))
    }

    /// Messages acknowledged by the brokers so far.
    public var deliveredCount: Int {
        context.deliveredCount
    }

    /// Messages whose delivery failed so far (each also reported to `onDeliveryFailure`).
    public var failedCount: Int {
        context.failedCount
    }

    /// The number of errors librdkafka reported through its error callback.
    public var errorCount: Int {
        context.errorCount
    }

    /// The last error librdkafka reported through its error callback.
    public var lastError: KafkaError? {
        context.lastError
    }

    /// Flushes for up to `timeout`, fails (and reports) whatever is still queued, and
    /// destroys the librdkafka handle. Idempotent; later sends throw `closed`.
    ///
    /// - Parameter timeout: the longest time to wait for outstanding deliveries.
    /// - Throws: `KafkaError` with code `flushTimeout` if messages had to be dropped; the
    ///   producer is closed either way.
    public func close(timeout: Duration = .seconds(10)) throws(KafkaError) {
        let timeoutMillis = timeout.kafkaMilliseconds
        let failure: KafkaError? = {
            lock.lock()
            defer { lock.unlock() }
            guard let client else { return nil }
            let failure = Self.flush(client.handle, timeoutMillis: timeoutMillis)
            if failure != nil {
                // Fail what is left so each message gets its (failed) delivery report.
                _ = rd_kafka_purge(client.handle, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)
                _ = rd_kafka_flush(client.handle, 1_000)
            }
            self.client = nil
            return failure
        }()
        context.logger.info(
            "producer closed",
            metadata: [
                KafkaLogMetadataKey.client: .string(name),
                "kafka.delivered": .stringConvertible(deliveredCount),
                "kafka.failed": .stringConvertible(failedCount)
            ])
        if let failure { throw failure }
    }
}

// MARK: - Buffer helpers

/// Calls `body` with the bytes of `bytes`, or `nil`.
private func withOptionalBytes<Result>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> Result) -> Result {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}

/// A valid address for empty header values.
private let emptyHeaderValue: StaticString = ""

/// Calls `body` with the value bytes of every header (`nil` for null values), all kept alive
/// for the duration of the call.
private func withHeaderValues<Result>(_ headers: [KafkaHeader], _ body: ([UnsafeRawBufferPointer?]) -> Result) -> Result
{
    func step(_ index: Int, _ collected: inout [UnsafeRawBufferPointer?]) -> Result {
        guard index < headers.count else { return body(collected) }
        guard let value = headers[index].value else {
            collected.append(nil)
            return step(index + 1, &collected)
        }
        return value.withUnsafeBytes { bytes in
            // An empty value must still have an address, or librdkafka sends a null header.
            collected.append(
                bytes.baseAddress == nil ? UnsafeRawBufferPointer(start: emptyHeaderValue.utf8Start, count: 0) : bytes)
            return step(index + 1, &collected)
        }
    }
    var collected: [UnsafeRawBufferPointer?] = []
    collected.reserveCapacity(headers.count)
    return step(0, &collected)
}
