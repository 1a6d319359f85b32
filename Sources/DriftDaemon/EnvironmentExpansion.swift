import Foundation

/// Expands `${NAME}` in Kafka property values from the environment, so secrets (SASL
/// passwords, key passphrases) stay out of config files.
public enum EnvironmentExpansion {
    /// Returns `properties` with every `${NAME}` replaced; throws naming the property and
    /// variable when a variable is not set.
    public static func expand(
        _ properties: [String: String], environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(DaemonError) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in properties {
            var result = ""
            var rest = Substring(value)
            while let open = rest.range(of: "${") {
                result += rest[..<open.lowerBound]
                guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                    throw DaemonError(.environment, "kafka property \(key): unterminated ${ in its value")
                }
                let name = String(rest[open.upperBound ..< close])
                guard let variable = environment[name] else {
                    throw DaemonError(.environment, "kafka property \(key) needs environment variable \(name), which is not set")
                }
                result += variable
                rest = rest[rest.index(after: close)...]
            }
            out[key] = result + rest
        }
        return out
    }
}
