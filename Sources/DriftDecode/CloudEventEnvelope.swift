/// The attributes of a CloudEvent driftd uses, from `ce_*` headers (binary content mode) or a
/// structured-mode JSON envelope.
public struct CloudEventEnvelope: Sendable, Equatable {
    /// `id`.
    public var id: String
    /// `type`.
    public var type: String
    /// `source`.
    public var source: String
    /// KServe's `inferenceservicename` extension, if present.
    public var inferenceServiceName: String?

    /// Creates an envelope.
    public init(id: String, type: String, source: String, inferenceServiceName: String? = nil) {
        self.id = id
        self.type = type
        self.source = source
        self.inferenceServiceName = inferenceServiceName
    }

    /// The envelope of a binary-mode CloudEvent from its Kafka headers (`header(name)` gives a
    /// header's value): `ce_specversion` must be `1.0`, and `ce_id`, `ce_source`, `ce_type`
    /// present; `nil` when there is no `ce_specversion` header (not binary mode).
    /// - Throws: `DecodeError` `invalid_cloudevent` naming the missing or invalid header.
    public static func binary(header: (String) -> [UInt8]?) throws(DecodeError) -> CloudEventEnvelope? {
        guard let version = header("ce_specversion") else { return nil }
        guard version.elementsEqual("1.0".utf8) else {
            throw DecodeError(.invalidCloudEvent, field: "ce_specversion", message: "ce_specversion must be 1.0")
        }
        func text(_ name: String) throws(DecodeError) -> String {
            guard let bytes = header(name), let text = String(validating: bytes, as: UTF8.self) else {
                throw DecodeError(.invalidCloudEvent, field: name, message: "no \(name) header (or not UTF-8)")
            }
            return text
        }
        let id = try text("ce_id")
        let source = try text("ce_source")
        let type = try text("ce_type")
        let service = header("ce_inferenceservicename").flatMap { String(validating: $0, as: UTF8.self) }
        return CloudEventEnvelope(id: id, type: type, source: source, inferenceServiceName: service)
    }
}
