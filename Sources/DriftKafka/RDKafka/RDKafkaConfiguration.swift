import Crdkafka

/// Builds `rd_kafka_conf_t` objects from string properties, reporting the offending property
/// with librdkafka's own message when one is refused.
enum RDKafkaConfiguration {
    /// Merges configuration layers: `defaults`, overridden by `passthrough`, overridden by
    /// `required` (the values the caller passed as explicit parameters). The result is ordered
    /// deterministically (sorted by name, required last) so errors are reproducible.
    static func merge(
        defaults: [String: String],
        passthrough: [String: String],
        required: [(String, String)]
    ) -> [(String, String)] {
        var merged = defaults
        for (name, value) in passthrough { merged[name] = value }
        let requiredNames = Set(required.map(\.0))
        let layered = merged.filter { !requiredNames.contains($0.key) }.sorted { $0.key < $1.key }
        return layered.map { ($0.key, $0.value) } + required
    }

    /// Creates a configuration with `properties` set in order. The caller owns the result and must
    /// either hand it to `rd_kafka_new` (which takes ownership on success) or destroy it.
    static func make(_ properties: [(String, String)]) throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .clientCreation, message: "rd_kafka_conf_new returned NULL")
        }
        for (name, value) in properties {
            if let failure = set(name, value, on: conf) {
                rd_kafka_conf_destroy(conf)
                throw failure
            }
        }
        return conf
    }

    /// Sets one property; returns the error instead of throwing so no C buffer is live at the throw.
    private static func set(_ name: String, _ value: String, on conf: OpaquePointer) -> KafkaError? {
        var errstr = [CChar](repeating: 0, count: 512)
        let result = errstr.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_conf_set(conf, name, value, buffer.baseAddress, buffer.count)
        }
        guard result != RD_KAFKA_CONF_OK else { return nil }
        let librdkafkaMessage = String(decoding: errstr.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let kind = result == RD_KAFKA_CONF_UNKNOWN ? "unknown configuration property" : "invalid configuration value"
        return KafkaError(
            code: .invalidConfiguration,
            message: "\(kind) '\(name)': \(librdkafkaMessage)",
            property: name
        )
    }
}
