import Crdkafka

/// Checks librdkafka properties before any client is made, the way `rd_kafka_conf_set` will
/// judge them when the consumer and producer are created, so a configuration can be refused
/// with every bad property listed (by `driftd validate` and before `driftd run` connects).
public enum KafkaPropertyCheck {
    /// The problem with one property, or `nil` when librdkafka accepts it.
    ///
    /// A value holding a `${VAR}` reference is checked only for its name: its value is known once
    /// the environment is expanded at start-up, where librdkafka checks it again.
    ///
    /// - Parameters:
    ///   - name: the librdkafka property (`security.protocol`, `fetch.wait.max.ms`, ...).
    ///   - value: its value as written.
    /// - Returns: librdkafka's reason, prefixed by what kind of problem it is.
    public static func problem(name: String, value: String) -> String? {
        guard let conf = rd_kafka_conf_new() else { return "librdkafka could not create a configuration" }
        defer { rd_kafka_conf_destroy(conf) }
        var errstr = [CChar](repeating: 0, count: 512)
        let result = errstr.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_conf_set(conf, name, value, buffer.baseAddress, buffer.count)
        }
        switch result {
        case RD_KAFKA_CONF_OK:
            return nil
        case RD_KAFKA_CONF_UNKNOWN:
            return "unknown librdkafka property \"\(name)\" (librdkafka \(String(cString: rd_kafka_version_str())))"
        default:
            if value.contains("${") { return nil }
            let reason = String(decoding: errstr.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return "invalid value for librdkafka property \"\(name)\": \(reason)"
        }
    }
}
