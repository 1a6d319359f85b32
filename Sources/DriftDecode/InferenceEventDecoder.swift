import CSimdjsonShim
import DriftCore

/// Decodes batches of inference events (`docs/events.md`) into per-model `ColumnarBatch`es
/// with simdjson On-Demand; feature lookup, type checks and category binning happen in the
/// native shim, which writes doubles straight into column buffers.
///
/// One decoder per thread: it owns a parser and reusable buffers.
/// `@unchecked Sendable` because the decoder may be *moved* to another thread or task, but
/// `decode` must never run concurrently on one instance (it mutates the native parser state).
public final class InferenceEventDecoder: @unchecked Sendable {
    /// The schemas events are routed to.
    public let registry: SchemaRegistry
    /// The options the decoder was built with.
    public let options: DecoderOptions

    private let native: NativeDecoder

    /// Creates a decoder (allocates a parser for `options.maxEventBytes`).
    /// - Parameters:
    ///   - registry: Schemas to decode against; rebuild the decoder when baselines change.
    ///   - options: Size limit, id capture, unknown feature counter bound.
    /// - Throws: `DecoderSetupError` for invalid options, a schema the native decoder rejects
    ///   (duplicate feature or category names) or allocation failure.
    public init(registry: SchemaRegistry, options: DecoderOptions = DecoderOptions()) throws(DecoderSetupError) {
        self.registry = registry
        self.options = options
        self.native = try NativeDecoder(options: options, registry: registry)
    }

    /// Decodes `count` messages; `payload(i)` gives message `i`'s bytes and fallback time.
    ///
    /// The closure is called once per index, in order, and the bytes it returns only need to
    /// stay valid until the next call (the decoder copies them into its padded buffer), so a
    /// Kafka consumer can hand over librdkafka's payload pointers directly.
    /// A rejected message never affects the other messages of the batch.
    /// - Parameters:
    ///   - count: Number of messages; negative counts decode nothing.
    ///   - payload: Message `i`'s bytes and fallback timestamp.
    /// - Returns: Rows per schema, rejects with reasons, and counters.
    public func decode(count: Int, payload: (_ index: Int) -> EventPayload) -> DecodedBatch {
        let handle = native.handle
        dd_batch_reset(handle)
        var rejects: [DecodeReject] = []
        var outcome = dd_outcome()
        for index in 0..<max(count, 0) {
            let message = payload(index)
            let status = dd_decode_inference(
                handle, message.bytes.baseAddress, message.bytes.count,
                message.fallbackTimestampMs, &outcome)
            if status != DD_OK.rawValue {
                rejects.append(DecodeReject(messageIndex: index, error: DecodeError(outcome: outcome)))
            }
        }
        return collect(messageCount: max(count, 0), rejects: rejects)
    }

    /// Decodes messages held as byte arrays (replay files, tests).
    /// - Parameters:
    ///   - messages: One JSON object per element.
    ///   - fallbackTimestampMs: Event time for messages without `timestamp`; one per message,
    ///     or a single value for all. Missing entries use the last given value (or 0).
    /// - Returns: Rows per schema, rejects with reasons, and counters.
    public func decode(messages: [[UInt8]], fallbackTimestampMs: [Int64]) -> DecodedBatch {
        let handle = native.handle
        dd_batch_reset(handle)
        var rejects: [DecodeReject] = []
        var outcome = dd_outcome()
        for (index, message) in messages.enumerated() {
            let fallback =
                index < fallbackTimestampMs.count ? fallbackTimestampMs[index] : (fallbackTimestampMs.last ?? 0)
            let status = message.withUnsafeBytes { bytes in
                dd_decode_inference(handle, bytes.baseAddress, bytes.count, fallback, &outcome)
            }
            if status != DD_OK.rawValue {
                rejects.append(DecodeReject(messageIndex: index, error: DecodeError(outcome: outcome)))
            }
        }
        return collect(messageCount: messages.count, rejects: rejects)
    }

    /// Benchmark reference: parses each message with the same parser and padded buffer and
    /// visits every key and value (numbers parsed, strings unescaped) without producing rows.
    /// `decode` is measured against this (`docs/events.md`, performance).
    /// - Parameters:
    ///   - count: Number of messages.
    ///   - payload: Message `i`'s bytes (the fallback timestamp is unused).
    /// - Returns: How many messages parsed as valid JSON objects, and a checksum of the visited values.
    public func referenceIteration(count: Int, payload: (_ index: Int) -> EventPayload) -> (
        parsed: Int, checksum: Double
    ) {
        var parsed = 0
        var checksum = 0.0
        for index in 0..<max(count, 0) {
            let bytes = payload(index).bytes
            if dd_raw_iterate(native.handle, bytes.baseAddress, bytes.count, &checksum) == DD_OK.rawValue {
                parsed += 1
            }
        }
        return (parsed, checksum)
    }

    // MARK: - Results

    private func collect(messageCount: Int, rejects: [DecodeReject]) -> DecodedBatch {
        let handle = native.handle
        var models: [DecodedModelBatch] = []
        for (index, schema) in registry.schemas.enumerated() {
            let s = Int32(index)
            let rows = dd_batch_rows(handle, s)
            guard rows > 0 else { continue }
            var columns = ColumnarBatch(schema: schema)
            for column in schema.features.indices {
                columns.features[column] = Self.array(dd_batch_column(handle, s, Int32(column)), rows)
            }
            columns.predictions = Self.array(dd_batch_column(handle, s, -1), rows)
            columns.timestamps = Self.array(dd_batch_timestamps(handle, s), rows)
            let messageIndexes = Self.array(dd_batch_message_indexes(handle, s), rows).map { Int($0) }
            var ids: [String?]?
            if options.captureIDs {
                ids = (0..<rows).map { row -> String? in
                    var pointer: UnsafePointer<CChar>?
                    var length = 0
                    guard dd_batch_id(handle, s, row, &pointer, &length) == 1 else { return nil }
                    return NativeDecoder.string(pointer, length)
                }
            }
            models.append(
                DecodedModelBatch(
                    columns: columns, eventIDs: ids, messageIndexes: messageIndexes,
                    versionFallbackCount: Int(clamping: dd_batch_version_fallbacks(handle, s)),
                    latencies: Self.array(dd_batch_column(handle, s, -2), rows),
                    costs: Self.array(dd_batch_column(handle, s, -3), rows)))
        }
        var unknown: [UnknownFeatureCount] = []
        for entry in 0..<dd_batch_unknown_feature_count(handle) {
            var schema: Int32 = -1
            var name: UnsafePointer<CChar>?
            var length = 0
            var count: UInt64 = 0
            dd_batch_unknown_feature(handle, entry, &schema, &name, &length, &count)
            guard registry.schemas.indices.contains(Int(schema)) else { continue }
            let owner = registry.schemas[Int(schema)]
            unknown.append(
                UnknownFeatureCount(
                    model: owner.model, version: owner.version, name: NativeDecoder.string(name, length),
                    count: Int(clamping: count)))
        }
        return DecodedBatch(
            models: models, rejects: rejects, unknownFeatures: unknown,
            unknownFeatureOverflow: Int(clamping: dd_batch_unknown_feature_overflow(handle)),
            messageCount: messageCount)
    }

    private static func array<T>(_ pointer: UnsafePointer<T>?, _ count: Int) -> [T] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }
}
