import CSimdjsonShim
import DriftCore

/// Owns one native `dd_decoder` (a simdjson parser, its padded buffer, schemas and column
/// buffers) and destroys it on deinit. Not thread-safe: used by exactly one public decoder.
final class NativeDecoder {
    /// The native decoder; valid for the lifetime of this object.
    let handle: OpaquePointer

    /// Creates the native decoder and loads `registry`'s schemas into it (same indexes).
    init(options: DecoderOptions, registry: SchemaRegistry?) throws(DecoderSetupError) {
        try options.validate()
        guard
            let handle = dd_decoder_create(
                options.maxEventBytes, options.captureIDs ? 1 : 0,
                (registry?.allowsVersionFallback ?? false) ? 1 : 0, options.maxUnknownFeatureNames)
        else {
            throw DecoderSetupError(
                .allocationFailed, "cannot allocate a decoder for \(options.maxEventBytes)-byte events")
        }
        self.handle = handle
        for schema in registry?.schemas ?? [] {
            try load(schema)
        }
    }

    deinit { dd_decoder_destroy(handle) }

    private func load(_ schema: ModelSchema) throws(DecoderSetupError) {
        let rejected = DecoderSetupError(
            .schemaRejected,
            "schema of model '\(schema.model)' version '\(schema.version)' has duplicate feature or category names")
        let index = Self.withBytes(schema.model) { model, modelCount in
            Self.withBytes(schema.version) { version, versionCount in
                dd_schema_add(
                    handle, model, modelCount, version, versionCount,
                    Int32(clamping: schema.features.count), schema.prediction == nil ? 0 : 1)
            }
        }
        guard index >= 0 else { throw rejected }
        for (column, spec) in schema.features.enumerated() {
            guard configure(schema: index, column: Int32(clamping: column), spec) else { throw rejected }
        }
        if let prediction = schema.prediction {
            guard configure(schema: index, column: -1, prediction) else { throw rejected }
        }
    }

    private func configure(schema: Int32, column: Int32, _ spec: ModelSchema.Column) -> Bool {
        let categorical = spec.type == .categorical
        let status = Self.withBytes(spec.name) { name, count in
            dd_schema_set_column(
                handle, schema, column, name, count, categorical ? 1 : 0,
                Int32(clamping: spec.otherBin))
        }
        guard status == DD_OK.rawValue else { return false }
        guard categorical else { return true }
        for (category, bin) in spec.categoryIndex {
            let added = Self.withBytes(category) { text, count in
                dd_schema_add_category(handle, schema, column, text, count, Int32(clamping: bin))
            }
            guard added == DD_OK.rawValue else { return false }
        }
        return true
    }

    /// Calls `body` with the UTF-8 bytes of `text`.
    static func withBytes<R>(_ text: String, _ body: (UnsafePointer<CChar>?, Int) -> R) -> R {
        var text = text
        return text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress, $0.count) }
        }
    }

    /// A Swift string from bytes the native decoder has validated as UTF-8.
    static func string(_ pointer: UnsafePointer<CChar>?, _ count: Int) -> String {
        guard let pointer, count > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: count), as: UTF8.self)
    }
}
