/// Where a configuration value came from: file, line and key path (or a command-line flag).
struct ConfigurationLocation: Sendable, Equatable {
    /// Configuration file, `nil` for flags.
    var file: String?
    /// 1-based line, when known.
    var line: Int?
    /// Dotted key path (`models[0].drift.threshold`) or flag name (`--brokers`).
    var keyPath: String

    /// A location for a command-line flag.
    static func flag(_ name: String) -> ConfigurationLocation {
        ConfigurationLocation(file: nil, line: nil, keyPath: name)
    }

    /// The path of a child key.
    func appending(key: String, line: Int?) -> ConfigurationLocation {
        ConfigurationLocation(file: file, line: line ?? self.line, keyPath: keyPath.isEmpty ? key : "\(keyPath).\(key)")
    }

    /// The path of a list element.
    func appending(index: Int, line: Int?) -> ConfigurationLocation {
        ConfigurationLocation(file: file, line: line ?? self.line, keyPath: "\(keyPath)[\(index)]")
    }

    /// `" (line N)"` or `""`, for messages that refer to another place in the file.
    var lineSuffix: String { line.map { " (line \($0))" } ?? "" }

    /// An error at this location.
    func error(_ code: ConfigurationError.Code, _ message: String) -> ConfigurationError {
        ConfigurationError(code, file: file, line: line, keyPath: keyPath, message)
    }
}

/// A configuration value together with where it was set.
struct Located<Value: Sendable>: Sendable {
    /// The value.
    var value: Value
    /// Where it was set.
    var location: ConfigurationLocation
}
