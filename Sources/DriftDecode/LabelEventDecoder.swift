import CSimdjsonShim

/// Decodes label events (`{"model", "id", "label", "timestamp"}`, see `docs/events.md`),
/// the delayed ground truth joined to inference events on (`model`, `id`).
///
/// Models are not checked against any registry: the join drops labels of unknown models.
/// One decoder per thread; `@unchecked Sendable` because it may be moved between threads,
/// but `decode` must never run concurrently on one instance (it owns a native parser).
public final class LabelEventDecoder: @unchecked Sendable {
    /// The options the decoder was built with (`captureIDs` and the unknown feature bound are unused).
    public let options: DecoderOptions

    private let native: NativeDecoder

    /// Creates a decoder.
    /// - Parameter options: `maxEventBytes` bounds accepted messages.
    /// - Throws: `DecoderSetupError` for invalid options or allocation failure.
    public init(options: DecoderOptions = DecoderOptions()) throws(DecoderSetupError) {
        self.options = options
        self.native = try NativeDecoder(options: options, registry: nil)
    }

    /// Decodes `count` messages; `payload(i)` gives message `i` (bytes valid until the next call).
    /// - Parameters:
    ///   - count: Number of messages; negative counts decode nothing.
    ///   - payload: Message `i`'s bytes and fallback timestamp.
    /// - Returns: Accepted labels and rejects, each in message order.
    public func decode(count: Int, payload: (_ index: Int) -> EventPayload) -> DecodedLabels {
        var result = DecodedLabels(labels: [], rejects: [])
        for index in 0..<max(count, 0) {
            let message = payload(index)
            decodeOne(message.bytes, message.fallbackTimestampMs, index: index, into: &result)
        }
        return result
    }

    /// Decodes messages held as byte arrays (replay files, tests).
    /// - Parameters:
    ///   - messages: One JSON object per element.
    ///   - fallbackTimestampMs: Event time for messages without `timestamp`; one per message,
    ///     or fewer (missing entries use the last given value, or 0).
    /// - Returns: Accepted labels and rejects, each in message order.
    public func decode(messages: [[UInt8]], fallbackTimestampMs: [Int64]) -> DecodedLabels {
        var result = DecodedLabels(labels: [], rejects: [])
        for (index, message) in messages.enumerated() {
            let fallback =
                index < fallbackTimestampMs.count ? fallbackTimestampMs[index] : (fallbackTimestampMs.last ?? 0)
            message.withUnsafeBytes { decodeOne($0, fallback, index: index, into: &result) }
        }
        return result
    }

    private func decodeOne(
        _ bytes: UnsafeRawBufferPointer, _ fallback: Int64, index: Int, into result: inout DecodedLabels
    ) {
        var label = dd_label()
        var outcome = dd_outcome()
        let status = dd_decode_label(native.handle, bytes.baseAddress, bytes.count, fallback, &label, &outcome)
        guard status == DD_OK.rawValue else {
            result.rejects.append(DecodeReject(messageIndex: index, error: DecodeError(outcome: outcome)))
            return
        }
        result.labels.append(
            LabelEvent(
                model: NativeDecoder.string(label.model, label.model_len),
                id: NativeDecoder.string(label.id, label.id_len),
                label: NativeDecoder.string(label.label, label.label_len),
                timestampMs: label.timestamp_ms, messageIndex: index))
    }
}
