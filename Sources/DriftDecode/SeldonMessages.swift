import Foundation
import SwiftProtobuf

/// Reads Seldon Core 2 topic values, Open Inference Protocol v2 protobuf `ModelInferRequest`
/// (`.inputs` topics) and `ModelInferResponse` (`.outputs` topics), into `InferenceBody`s.
/// Tensor elements come from the typed `contents` or from `raw_*_contents` (little-endian,
/// BYTES as 4-byte length-prefixed strings).
enum SeldonMessages {
    /// A `ModelInferRequest` value.
    static func request(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> InferenceBody {
        let message: Inference_ModelInferRequest
        do {
            message = try Inference_ModelInferRequest(serializedBytes: Array(bytes))
        } catch {
            throw DecodeError(.invalidProtobuf, message: "not a ModelInferRequest: \(error)")
        }
        var builder = Builder()
        for (index, input) in message.inputs.enumerated() {
            let raw = index < message.rawInputContents.count ? message.rawInputContents[index] : nil
            try builder.add(
                name: input.name, datatype: input.datatype, shape: input.shape, contents: input.contents,
                raw: raw, isOutput: false, field: "inputs[\(index)]")
        }
        guard !message.inputs.isEmpty else {
            throw DecodeError(.noTensors, field: "inputs", message: "a ModelInferRequest without input tensors")
        }
        return builder.body(isRequest: true, id: message.id, model: message.modelName, version: message.modelVersion)
    }

    /// A `ModelInferResponse` value.
    static func response(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> InferenceBody {
        let message: Inference_ModelInferResponse
        do {
            message = try Inference_ModelInferResponse(serializedBytes: Array(bytes))
        } catch {
            throw DecodeError(.invalidProtobuf, message: "not a ModelInferResponse: \(error)")
        }
        var builder = Builder()
        for (index, output) in message.outputs.enumerated() {
            let raw = index < message.rawOutputContents.count ? message.rawOutputContents[index] : nil
            try builder.add(
                name: output.name, datatype: output.datatype, shape: output.shape, contents: output.contents,
                raw: raw, isOutput: true, field: "outputs[\(index)]")
        }
        guard !message.outputs.isEmpty else {
            throw DecodeError(.noTensors, field: "outputs", message: "a ModelInferResponse without output tensors")
        }
        return builder.body(isRequest: false, id: message.id, model: message.modelName, version: message.modelVersion)
    }

    /// Accumulates tensors and their element tokens.
    struct Builder {
        var tensors: [InferenceBody.Tensor] = []
        var arena: [UInt8] = []
        var offsets: [UInt32] = []
        var lengths: [UInt32] = []

        func body(isRequest: Bool, id: String, model: String, version: String) -> InferenceBody {
            InferenceBody(
                isRequest: isRequest, isResponse: !isRequest, id: id.isEmpty ? nil : id,
                modelName: model.isEmpty ? nil : model, modelVersion: version.isEmpty ? nil : version,
                tensors: tensors, arena: arena, offsets: offsets, lengths: lengths)
        }

        mutating func add(
            name: String, datatype: String, shape: [Int64], contents: Inference_InferTensorContents, raw: Data?,
            isOutput: Bool, field: String
        ) throws(DecodeError) {
            guard shape.allSatisfy({ $0 >= 0 }) else {
                throw DecodeError(
                    .invalidTensor, field: "\(field).shape", message: "shape must hold non-negative integers")
            }
            let rows = shape.first.map(Int.init) ?? 1
            let columns = shape.dropFirst().reduce(1) { $0 * Int($1) }
            let first = offsets.count
            if let raw, !raw.isEmpty {
                try appendRaw(raw, datatype: datatype, field: field)
            } else {
                try appendContents(contents, datatype: datatype, field: field)
            }
            let count = offsets.count - first
            guard count == rows * columns else {
                throw DecodeError(
                    .invalidTensor, field: "\(field).contents",
                    message: "the tensor holds \(count) elements; its shape needs \(rows * columns)")
            }
            tensors.append(.init(name: name, isOutput: isOutput, rows: rows, columns: columns, firstElement: first))
        }

        private mutating func token(_ bytes: some Sequence<UInt8>) {
            offsets.append(UInt32(arena.count))
            let before = arena.count
            arena.append(contentsOf: bytes)
            lengths.append(UInt32(arena.count - before))
        }

        private mutating func number(_ value: some BinaryInteger) { token(String(value).utf8) }

        private mutating func float(_ value: Double, field: String) {
            // Non-finite values become the literal the driftd decoder rejects as non_finite.
            token(value.isFinite ? String(value).utf8 : "NaN".utf8)
        }

        private mutating func string(_ data: Data, field: String) throws(DecodeError) {
            guard let text = String(validating: Array(data), as: UTF8.self) else {
                throw DecodeError(
                    .invalidTensor, field: "\(field).contents", message: "a BYTES element is not UTF-8 text")
            }
            var quoted: [UInt8] = []
            TensorEventWriter.appendJSONString(text, to: &quoted)
            token(quoted)
        }

        private mutating func appendContents(_ c: Inference_InferTensorContents, datatype: String, field: String)
            throws(DecodeError)
        {
            switch datatype {
            case "BOOL": for v in c.boolContents { token((v ? "true" : "false").utf8) }
            case "INT8", "INT16", "INT32": for v in c.intContents { number(v) }
            case "INT64": for v in c.int64Contents { number(v) }
            case "UINT8", "UINT16", "UINT32": for v in c.uintContents { number(v) }
            case "UINT64": for v in c.uint64Contents { number(v) }
            case "FP16", "FP32": for v in c.fp32Contents { float(Double(String(v)) ?? Double(v), field: field) }
            case "FP64": for v in c.fp64Contents { float(v, field: field) }
            case "BYTES": for v in c.bytesContents { try string(v, field: field) }
            default:
                throw DecodeError(.invalidTensor, field: "\(field).datatype", message: "unknown datatype '\(datatype)'")
            }
        }

        private mutating func appendRaw(_ raw: Data, datatype: String, field: String) throws(DecodeError) {
            let bytes = Array(raw)
            func load<T: FixedWidthInteger>(_: T.Type, _ at: Int) -> T {
                var value: T = 0
                for k in 0..<MemoryLayout<T>.size { value |= T(truncatingIfNeeded: bytes[at + k]) << (8 * k) }
                return value
            }
            let width: Int =
                switch datatype {
                case "BOOL", "INT8", "UINT8": 1
                case "INT16", "UINT16", "FP16": 2
                case "INT32", "UINT32", "FP32": 4
                case "INT64", "UINT64", "FP64": 8
                case "BYTES": 0
                default:
                    throw DecodeError(
                        .invalidTensor, field: "\(field).datatype", message: "unknown datatype '\(datatype)'")
                }
            if width == 0 {
                var at = 0
                while at < bytes.count {
                    guard at + 4 <= bytes.count else {
                        throw DecodeError(
                            .invalidTensor, field: "\(field).raw_contents", message: "truncated BYTES element length")
                    }
                    let length = Int(load(UInt32.self, at))
                    guard at + 4 + length <= bytes.count else {
                        throw DecodeError(
                            .invalidTensor, field: "\(field).raw_contents", message: "truncated BYTES element")
                    }
                    try string(Data(bytes[at + 4..<at + 4 + length]), field: field)
                    at += 4 + length
                }
                return
            }
            guard bytes.count % width == 0 else {
                throw DecodeError(
                    .invalidTensor, field: "\(field).raw_contents",
                    message: "\(bytes.count) raw bytes are not a whole number of \(datatype) elements")
            }
            for at in stride(from: 0, to: bytes.count, by: width) {
                switch datatype {
                case "BOOL": token((bytes[at] != 0 ? "true" : "false").utf8)
                case "INT8": number(Int8(bitPattern: bytes[at]))
                case "UINT8": number(bytes[at])
                case "INT16": number(Int16(bitPattern: load(UInt16.self, at)))
                case "UINT16": number(load(UInt16.self, at))
                case "INT32": number(Int32(bitPattern: load(UInt32.self, at)))
                case "UINT32": number(load(UInt32.self, at))
                case "INT64": number(Int64(bitPattern: load(UInt64.self, at)))
                case "UINT64": number(load(UInt64.self, at))
                case "FP16": float(Double(Float16Bits(load(UInt16.self, at)).value), field: field)
                case "FP32":
                    let v = Float(bitPattern: load(UInt32.self, at))
                    float(Double(String(v)) ?? Double(v), field: field)
                default: float(Double(bitPattern: load(UInt64.self, at)), field: field)
                }
            }
        }
    }
}

/// An IEEE 754 half-precision value from its bits (Float16 is not available on every platform).
struct Float16Bits {
    let value: Float

    init(_ bits: UInt16) {
        let sign: Float = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Float(bits & 0x3FF)
        switch exponent {
        case 0: value = sign * fraction * Float(sign: .plus, exponent: -24, significand: 1)
        case 31: value = fraction == 0 ? sign * .infinity : .nan
        default: value = sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
