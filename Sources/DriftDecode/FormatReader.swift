import CSimdjsonShim

/// Reads structured CloudEvent envelopes and inference bodies with simdjson (the native
/// `dd_format` reader). One reader per thread; `@unchecked Sendable` so it may be moved.
public final class FormatReader: @unchecked Sendable {
    private let handle: OpaquePointer

    /// Creates a reader for messages up to `maxBytes`.
    /// - Throws: `DecoderSetupError` when `maxBytes` is not positive or allocation fails.
    public init(maxBytes: Int) throws(DecoderSetupError) {
        guard maxBytes > 0 else {
            throw DecoderSetupError(.invalidOptions, "maxBytes must be positive, got \(maxBytes)")
        }
        guard let handle = dd_format_create(maxBytes) else {
            throw DecoderSetupError(.allocationFailed, "cannot allocate a format reader for \(maxBytes)-byte messages")
        }
        self.handle = handle
    }

    deinit { dd_format_destroy(handle) }

    /// Reads a structured-mode CloudEvent and returns its envelope and the raw JSON of its
    /// `data` object (a copy).
    /// - Throws: `DecodeError` (`invalid_json`, `not_an_object`, `oversized`, `invalid_cloudevent`, `missing_data`).
    public func readCloudEvent(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> (
        envelope: CloudEventEnvelope, data: [UInt8]
    ) {
        var event = dd_cloudevent()
        var outcome = dd_format_outcome()
        let status = dd_cloudevent_read(handle, bytes.baseAddress, bytes.count, &event, &outcome)
        guard status == DDF_OK.rawValue else { throw Self.error(outcome) }
        let envelope = CloudEventEnvelope(
            id: Self.string(event.id, event.id_len), type: Self.string(event.type, event.type_len),
            source: Self.string(event.source, event.source_len),
            inferenceServiceName: event.service == nil ? nil : Self.string(event.service, event.service_len))
        let data = Array(UnsafeRawBufferPointer(start: event.data, count: event.data_len))
        return (envelope, data)
    }

    /// Reads an Open Inference Protocol v2 JSON request or response body, or a KServe v1 body.
    /// - Throws: `DecodeError` (`invalid_json`, `not_an_object`, `oversized`, `invalid_tensor`, `no_tensors`).
    public func readBody(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> InferenceBody {
        var body = dd_inference_body()
        var outcome = dd_format_outcome()
        let status = dd_inference_body_read(handle, bytes.baseAddress, bytes.count, &body, &outcome)
        guard status == DDF_OK.rawValue else { throw Self.error(outcome) }
        var tensors: [InferenceBody.Tensor] = []
        tensors.reserveCapacity(body.tensor_count)
        var tensor = dd_tensor()
        for index in 0..<body.tensor_count {
            dd_inference_tensor(handle, index, &tensor)
            tensors.append(
                InferenceBody.Tensor(
                    name: Self.string(tensor.name, tensor.name_len), isOutput: tensor.is_output != 0,
                    rows: Int(tensor.rows), columns: Int(tensor.columns), firstElement: tensor.first_element))
        }
        var arena: UnsafePointer<CChar>?
        var offsets: UnsafePointer<UInt32>?
        var lengths: UnsafePointer<UInt32>?
        dd_inference_elements(handle, &arena, &offsets, &lengths)
        let count = body.element_count
        let offsetArray = count == 0 ? [] : Array(UnsafeBufferPointer(start: offsets, count: count))
        let lengthArray = count == 0 ? [] : Array(UnsafeBufferPointer(start: lengths, count: count))
        let arenaBytes = count == 0 ? 0 : Int(offsetArray[count - 1]) + Int(lengthArray[count - 1])
        let arenaArray = arenaBytes == 0 ? [] : Array(UnsafeRawBufferPointer(start: arena, count: arenaBytes))
        return InferenceBody(
            isRequest: body.is_request != 0, isResponse: body.is_response != 0,
            id: body.id == nil ? nil : Self.string(body.id, body.id_len),
            modelName: body.model_name == nil ? nil : Self.string(body.model_name, body.model_name_len),
            modelVersion: body.model_version == nil ? nil : Self.string(body.model_version, body.model_version_len),
            tensors: tensors, arena: arenaArray, offsets: offsetArray, lengths: lengthArray)
    }

    private static func string(_ pointer: UnsafePointer<CChar>?, _ count: Int) -> String {
        NativeDecoder.string(pointer, count)
    }

    private static func error(_ outcome: dd_format_outcome) -> DecodeError {
        let field = outcome.field_len > 0 ? string(outcome.field, outcome.field_len) : nil
        let detail = string(outcome.detail, outcome.detail_len)
        let code: DecodeError.Code =
            switch dd_format_status(rawValue: UInt32(bitPattern: outcome.status)) {
            case DDF_NOT_AN_OBJECT: .notAnObject
            case DDF_OVERSIZED: .oversized
            case DDF_INVALID_CLOUDEVENT: .invalidCloudEvent
            case DDF_MISSING_DATA: .missingData
            case DDF_INVALID_TENSOR: .invalidTensor
            case DDF_NO_TENSORS: .noTensors
            default: .invalidJSON
            }
        return DecodeError(code, field: field, message: detail)
    }
}
