import DriftCore

/// Writes driftd inference events (`docs/events.md`) from a request body's input tensors and,
/// when the mapping has a prediction, a response body's output tensor: one event per row.
struct TensorEventWriter {
    /// The mapping with each column's JSON key (`"name":`) prepared once.
    struct Prepared {
        let mapping: TensorMapping
        /// Per input, per column: the bytes `"feature":`, or nil for an unmonitored column.
        let keys: [[[UInt8]?]]
        /// `{"model":"<model>"`.
        let modelPrefix: [UInt8]

        init(model: String, mapping: TensorMapping) {
            self.mapping = mapping
            self.keys = mapping.inputs.map { input in
                input.columns.map { name in
                    name.map { n in
                        var key: [UInt8] = []
                        TensorEventWriter.appendJSONString(n, to: &key)
                        key.append(UInt8(ascii: ":"))
                        return key
                    }
                }
            }
            var prefix = Array(#"{"model":"#.utf8)
            TensorEventWriter.appendJSONString(model, to: &prefix)
            self.modelPrefix = prefix
        }
    }

    /// Appends the events of `request` (and `response`) to `buffer`; returns each event's range.
    /// - Parameters:
    ///   - id: the request id; a body of N > 1 rows gives the events ids `<id>/<row>`.
    ///   - timestampMs: every event's `timestamp`.
    /// - Throws: `DecodeError` `missing_tensor` or `tensor_shape_mismatch`; nothing is appended then.
    static func write(
        _ prepared: Prepared, version: String?, id: String?, timestampMs: Int64, request: InferenceBody,
        response: InferenceBody?, into buffer: inout [UInt8]
    ) throws(DecodeError) -> [Range<Int>] {
        var tensors: [InferenceBody.Tensor] = []
        var rows = -1
        for input in prepared.mapping.inputs {
            guard let tensor = request.tensor(named: input.tensor, output: false) else {
                throw DecodeError(
                    .missingTensor, field: "inputs.\(input.tensor)",
                    message: "the request has no input tensor '\(input.tensor)'")
            }
            guard tensor.columns == input.columns.count else {
                throw DecodeError(
                    .tensorShapeMismatch, field: "inputs.\(input.tensor)",
                    message:
                        "input tensor '\(input.tensor)' has \(tensor.columns) columns; the mapping names \(input.columns.count)"
                )
            }
            if rows >= 0 && tensor.rows != rows {
                throw DecodeError(
                    .tensorShapeMismatch, field: "inputs.\(input.tensor)",
                    message: "input tensor '\(input.tensor)' has \(tensor.rows) rows, another mapped tensor \(rows)")
            }
            rows = tensor.rows
            tensors.append(tensor)
        }
        var prediction: (body: InferenceBody, tensor: InferenceBody.Tensor, column: Int)?
        if let output = prepared.mapping.prediction, let response {
            guard let tensor = response.tensor(named: output.tensor, output: true) else {
                throw DecodeError(
                    .missingTensor, field: "outputs.\(output.tensor)",
                    message: "the response has no output tensor '\(output.tensor)'")
            }
            guard tensor.rows == rows, output.column < tensor.columns else {
                throw DecodeError(
                    .tensorShapeMismatch, field: "outputs.\(output.tensor)",
                    message:
                        "output tensor '\(output.tensor)' is [\(tensor.rows), \(tensor.columns)]; the request has \(rows) rows and the prediction is column \(output.column)"
                )
            }
            prediction = (response, tensor, output.column)
        }
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(max(rows, 0))
        var versionBytes: [UInt8] = []
        if let version {
            versionBytes = Array(#","version":"#.utf8)
            appendJSONString(version, to: &versionBytes)
        }
        let timestamp = Array(#","timestamp":\#(timestampMs),"features":{"#.utf8)
        for row in 0..<max(rows, 0) {
            let start = buffer.count
            buffer.append(contentsOf: prepared.modelPrefix)
            buffer.append(contentsOf: versionBytes)
            if let id {
                buffer.append(contentsOf: #","id":"#.utf8)
                appendJSONString(rows > 1 ? "\(id)/\(row)" : id, to: &buffer)
            }
            buffer.append(contentsOf: timestamp)
            var first = true
            for (t, tensor) in tensors.enumerated() {
                let keys = prepared.keys[t]
                let base = tensor.firstElement + row * tensor.columns
                for column in 0..<tensor.columns {
                    guard let key = keys[column] else { continue }
                    if !first { buffer.append(UInt8(ascii: ",")) }
                    first = false
                    buffer.append(contentsOf: key)
                    buffer.append(contentsOf: request.token(base + column))
                }
            }
            buffer.append(UInt8(ascii: "}"))
            if let prediction {
                buffer.append(contentsOf: #","prediction":"#.utf8)
                buffer.append(
                    contentsOf: prediction.body.token(
                        prediction.tensor.firstElement + row * prediction.tensor.columns + prediction.column))
            }
            buffer.append(UInt8(ascii: "}"))
            ranges.append(start..<buffer.count)
        }
        return ranges
    }

    /// Appends `text` as a JSON string (quotes, `\"`, `\\` and control characters escaped).
    static func appendJSONString(_ text: String, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                buffer.append(contentsOf: Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: buffer.append(byte)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }
}
