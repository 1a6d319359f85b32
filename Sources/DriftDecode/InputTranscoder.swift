import DriftCore

/// Turns messages of the serving-stack formats (`InputFormat`) into driftd inference events:
/// unwraps CloudEvents, reads Open Inference Protocol v2 and KServe bodies (simdjson) and
/// Seldon Core 2 protobuf messages, maps tensors to features with each model's
/// `TensorMapping`, and joins request and response halves by id within a TTL and a bound.
///
/// Single-threaded (one per pipeline); `@unchecked Sendable` so it may be moved.
public final class InputTranscoder: @unchecked Sendable {
    /// CloudEvent type of a KServe inference logger request.
    public static let kserveRequestType = "org.kubeflow.serving.inference.request"
    /// CloudEvent type of a KServe inference logger response.
    public static let kserveResponseType = "org.kubeflow.serving.inference.response"

    private let topics: [String: InputTopic]
    private var mappings: [String: TensorEventWriter.Prepared]
    private let reader: FormatReader
    private var joiner: HalfJoiner

    /// Creates a transcoder.
    /// - Parameters:
    ///   - topics: The input topics; topics not listed are `driftd`.
    ///   - mappings: Tensor mapping per model name.
    ///   - maxBytes: Largest message accepted (`limits.max_event_bytes`).
    ///   - joinTTL: How long (wall-clock time) a half waits for its other half.
    ///   - joinMaxPending: At most this many halves wait.
    /// - Throws: `DecoderSetupError` when the reader cannot be allocated.
    public init(
        topics: [InputTopic], mappings: [String: TensorMapping], maxBytes: Int,
        joinTTL: Duration = InputTopic.defaultJoinTTL, joinMaxPending: Int = InputTopic.defaultJoinMaxPending
    ) throws(DecoderSetupError) {
        self.topics = Dictionary(topics.map { ($0.topic, $0) }, uniquingKeysWith: { _, last in last })
        self.mappings = mappings.reduce(into: [:]) {
            $0[$1.key] = TensorEventWriter.Prepared(model: $1.key, mapping: $1.value)
        }
        self.reader = try FormatReader(maxBytes: maxBytes)
        self.joiner = HalfJoiner(ttlMillis: joinTTL.wholeMilliseconds, maxPending: joinMaxPending)
    }

    /// Replaces the tensor mappings (a configuration reload); waiting halves are kept.
    public func setMappings(_ mappings: [String: TensorMapping]) {
        self.mappings = mappings.reduce(into: [:]) {
            $0[$1.key] = TensorEventWriter.Prepared(model: $1.key, mapping: $1.value)
        }
    }

    /// Whether every topic is `driftd` (nothing to transcode).
    public var isPassthrough: Bool {
        topics.values.allSatisfy { $0.format == .driftd }
    }

    /// The format of `topic` (`driftd` for a topic not configured).
    public func format(of topic: String) -> InputFormat {
        topics[topic]?.format ?? .driftd
    }

    /// Halves waiting for their other half.
    public var pendingHalves: Int { joiner.count }

    /// Adds the events of one message to `batch` (or its reject, or nothing for a half that waits).
    /// - Parameters:
    ///   - message: The message's index in the caller's batch.
    ///   - topic: Its topic.
    ///   - payload: Its value.
    ///   - key: Its key, if any (Seldon request id fallback).
    ///   - header: The value of the message's last header with a name, if any.
    ///   - timestampMs: Its Kafka timestamp (the events' time).
    ///   - now: The wall clock, for join TTLs.
    public func add(
        message: Int, topic: String, payload: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer?,
        header: (String) -> [UInt8]?, timestampMs: Int64, now: WallClockTime, into batch: inout TranscodedBatch
    ) {
        let nowMillis = now.millisecondsSinceEpoch
        let settings = topics[topic] ?? InputTopic(topic: topic)
        do throws(DecodeError) {
            switch settings.format {
            case .driftd:
                batch.entries.append(.init(message: message, start: -1, count: 0, fallbackTimestampMs: timestampMs))
            case .cloudevents:
                if try CloudEventEnvelope.binary(header: header) != nil {
                    batch.entries.append(.init(message: message, start: -1, count: 0, fallbackTimestampMs: timestampMs))
                } else {
                    let (_, data) = try reader.readCloudEvent(payload)
                    let start = batch.buffer.count
                    batch.buffer.append(contentsOf: data)
                    batch.entries.append(
                        .init(message: message, start: start, count: data.count, fallbackTimestampMs: timestampMs))
                }
            case .oipV2:
                let body = try reader.readBody(payload)
                try route(
                    body, model: settings.model ?? body.modelName, version: body.modelVersion, id: body.id,
                    joinScope: topic, isRequest: body.isRequest, message: message, topic: topic,
                    timestampMs: timestampMs, nowMillis: nowMillis, into: &batch)
            case .kserveLogger:
                let envelope: CloudEventEnvelope
                let body: InferenceBody
                if let binary = try CloudEventEnvelope.binary(header: header) {
                    envelope = binary
                    body = try reader.readBody(payload)
                } else {
                    let (structured, data) = try reader.readCloudEvent(payload)
                    envelope = structured
                    body = try data.withUnsafeBytes { bytes in
                        Result { () throws(DecodeError) in try reader.readBody(bytes) }
                    }.get()
                }
                let isRequest: Bool
                switch envelope.type {
                case Self.kserveRequestType: isRequest = true
                case Self.kserveResponseType: isRequest = false
                default:
                    throw DecodeError(
                        .unknownEventType, field: "type",
                        message:
                            "CloudEvent type '\(envelope.type)' is neither \(Self.kserveRequestType) nor \(Self.kserveResponseType)"
                    )
                }
                try route(
                    body, model: settings.model ?? envelope.inferenceServiceName ?? body.modelName,
                    version: body.modelVersion, id: envelope.id, joinScope: topic, isRequest: isRequest,
                    message: message, topic: topic, timestampMs: timestampMs, nowMillis: nowMillis, into: &batch)
            case .seldonV2:
                guard let name = SeldonTopic(topic) else {
                    throw DecodeError(
                        .invalidProtobuf, field: "topic",
                        message: "topic '\(topic)' is not seldon.<namespace>.model.<name>.inputs or .outputs")
                }
                let body = name.isRequest ? try SeldonMessages.request(payload) : try SeldonMessages.response(payload)
                let keyID = key.flatMap { String(validating: $0, as: UTF8.self) }
                try route(
                    body, model: settings.model ?? name.model, version: body.modelVersion, id: body.id ?? keyID,
                    joinScope: name.scope, isRequest: name.isRequest, message: message, topic: topic,
                    timestampMs: timestampMs, nowMillis: nowMillis, into: &batch)
            }
        } catch {
            batch.rejects.append(DecodeReject(messageIndex: message, error: error))
        }
    }

    /// Drops halves older than the TTL; counted in `batch.unmatched`.
    /// - Parameter now: The wall clock.
    public func expire(now: WallClockTime, into batch: inout TranscodedBatch) {
        joiner.expire(nowMillis: now.millisecondsSinceEpoch) { half, reason in batch.count(half, reason) }
        batch.pendingHalves = joiner.count
    }

    /// Writes a body's events now, or joins it with its other half.
    private func route(
        _ body: InferenceBody, model: String?, version: String?, id: String?, joinScope: String, isRequest: Bool,
        message: Int, topic: String, timestampMs: Int64, nowMillis: Int64, into batch: inout TranscodedBatch
    ) throws(DecodeError) {
        guard let model, !model.isEmpty else {
            throw DecodeError(
                .missingModel, field: "model",
                message:
                    "no model: set the topic's model, or send the model name (CloudEvent inferenceservicename, model_name)"
            )
        }
        guard let prepared = mappings[model] else {
            throw DecodeError(
                .unmappedModel, field: "model", message: "model '\(model)' has no tensors mapping in the configuration")
        }
        if isRequest && !body.isRequest {
            throw DecodeError(.noTensors, field: "inputs", message: "a request without input tensors")
        }
        if !isRequest && !body.isResponse {
            throw DecodeError(.noTensors, field: "outputs", message: "a response without output tensors holding data")
        }
        let needsResponse = prepared.mapping.prediction != nil
        if !needsResponse || (body.isRequest && body.isResponse) {
            // No prediction to join (a response alone then carries nothing driftd monitors).
            guard body.isRequest else { return }
            let ranges = try TensorEventWriter.write(
                prepared, version: version, id: id, timestampMs: timestampMs, request: body,
                response: body.isResponse ? body : nil, into: &batch.buffer)
            for range in ranges {
                batch.entries.append(
                    .init(
                        message: message, start: range.lowerBound, count: range.count, fallbackTimestampMs: timestampMs)
                )
            }
            return
        }
        guard let id, !id.isEmpty else {
            throw DecodeError(
                .missingID, field: "id", message: "request and response are joined by id, and this message has none")
        }
        let half = HalfJoiner.Half(
            body: body, model: model, version: version, isRequest: isRequest, topic: topic,
            timestampMs: timestampMs, arrivedMillis: nowMillis)
        guard let other = joiner.offer(half, key: joinScope + "\u{0}" + id, dropped: { batch.count($0, $1) }) else {
            batch.pendingHalves = joiner.count
            return
        }
        batch.pendingHalves = joiner.count
        let request = isRequest ? half : other
        let response = isRequest ? other : half
        let ranges = try TensorEventWriter.write(
            mappings[request.model] ?? prepared, version: response.version ?? request.version, id: id,
            timestampMs: request.timestampMs, request: request.body, response: response.body, into: &batch.buffer)
        for range in ranges {
            batch.entries.append(
                .init(
                    message: message, start: range.lowerBound, count: range.count,
                    fallbackTimestampMs: request.timestampMs))
        }
    }
}

extension TranscodedBatch {
    mutating func count(_ half: HalfJoiner.Half, _ reason: String) {
        unmatched[
            Unmatched(topic: half.topic, half: half.isRequest ? "request" : "response", reason: reason), default: 0] +=
            1
    }
}
