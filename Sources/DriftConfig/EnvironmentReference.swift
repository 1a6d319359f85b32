import Foundation

/// `${NAME}` references to environment variables in configuration values (Kafka secrets such
/// as `sasl.password: ${KAFKA_PASSWORD}`), expanded when the configuration is loaded.
public enum EnvironmentReference {
    /// Why a value could not be expanded.
    public struct Problem: Error, Sendable, Equatable {
        /// What is wrong, naming the variable.
        public var message: String
    }

    /// The value with every `${NAME}` replaced by the variable's value.
    /// - Parameters:
    ///   - value: the configured text.
    ///   - environment: the variables.
    /// - Returns: the expanded text, or the problem: an unset variable or an unterminated `${`.
    public static func expand(_ value: String, environment: [String: String]) -> Result<String, Problem> {
        var result = ""
        var rest = Substring(value)
        while let open = rest.range(of: "${") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                return .failure(Problem(message: "unterminated ${ in the value"))
            }
            let name = String(rest[open.upperBound..<close])
            guard let variable = environment[name] else {
                return .failure(Problem(message: "needs environment variable \(name), which is not set"))
            }
            result += variable
            rest = rest[rest.index(after: close)...]
        }
        return .success(result + rest)
    }
}
