import Foundation
import Yams

/// Loads the daemon configuration from a YAML file, command-line overrides, or both.
///
/// Every problem is collected before reporting (like `vector validate`): the thrown
/// `InvalidConfiguration` lists each one with file, line and key path.
public enum ConfigurationLoader {
    /// Judges one librdkafka property (name, value as written): the problem, or `nil` when it is
    /// accepted. DriftConfig knows no Kafka client; commands that will connect pass
    /// DriftKafka's `KafkaPropertyCheck.problem`.
    public typealias PropertyCheck = @Sendable (_ name: String, _ value: String) -> String?

    /// Loads, resolves and validates the configuration.
    /// - Parameters:
    ///   - file: Path of the YAML file, or `nil` to build the configuration from `overrides`
    ///     and the defaults alone.
    ///   - overrides: Command-line settings; each one given wins over the file.
    ///   - requireBrokers: Whether `kafka.brokers` (or `--brokers`) must be set. Commands that
    ///     contact no broker (`replay`, `compare`) pass `false`; without brokers the result's
    ///     `kafka.brokers` is then empty. A value that is given is checked either way.
    ///   - checkProperty: judges each entry of the `kafka` property maps; a problem is reported
    ///     at the entry's line like any other. `nil` checks only the reserved names.
    ///   - environment: expands `${NAME}` in Kafka property values (secrets); an unset variable is
    ///     an error at the property's line.
    /// - Returns: The resolved configuration with every baseline loaded.
    /// - Throws: `InvalidConfiguration` with every problem found.
    public static func load(
        file: String?, overrides: ConfigurationOverrides = ConfigurationOverrides(), requireBrokers: Bool = true,
        checkProperty: PropertyCheck? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(InvalidConfiguration) -> DaemonConfiguration {
        guard let file else {
            return try resolve(
                root: nil, file: nil, overrides: overrides, requireBrokers: requireBrokers,
                checkProperty: checkProperty,
                environment: environment, diagnostics: ConfigurationDiagnostics())
        }
        let text: String
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            guard let decoded = String(data: data, encoding: .utf8) else {
                throw InvalidConfiguration([
                    ConfigurationError(.fileUnreadable, file: file, line: nil, keyPath: "", "file is not valid UTF-8")
                ])
            }
            text = decoded
        } catch let error as InvalidConfiguration {
            throw error
        } catch {
            throw InvalidConfiguration([
                ConfigurationError(
                    .fileUnreadable, file: file, line: nil, keyPath: "",
                    "cannot read file: \(error.localizedDescription)")
            ])
        }
        return try load(
            yaml: text, file: file, overrides: overrides, requireBrokers: requireBrokers, checkProperty: checkProperty,
            environment: environment)
    }

    /// Resolves and validates configuration text.
    /// - Parameters:
    ///   - yaml: The YAML document.
    ///   - file: Its path: named in errors, and its directory anchors relative paths.
    ///   - overrides: Command-line settings; each one given wins over the document.
    ///   - requireBrokers: Whether `kafka.brokers` (or `--brokers`) must be set (see
    ///     `load(file:overrides:requireBrokers:checkProperty:)`).
    ///   - checkProperty: judges each entry of the `kafka` property maps (see `load(file:...)`).
    ///   - environment: expands `${NAME}` in Kafka property values (see `load(file:...)`).
    /// - Returns: The resolved configuration.
    /// - Throws: `InvalidConfiguration` with every problem found.
    public static func load(
        yaml: String, file: String, overrides: ConfigurationOverrides = ConfigurationOverrides(),
        requireBrokers: Bool = true,
        checkProperty: PropertyCheck? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(InvalidConfiguration) -> DaemonConfiguration {
        let diagnostics = ConfigurationDiagnostics()
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw InvalidConfiguration([syntaxError(error, file: file)])
        }
        let root = ConfigurationValue(
            node: node ?? Node([(Node, Node)]()),
            location: ConfigurationLocation(file: file, line: node.flatMap(ConfigurationValue.line), keyPath: ""))
        return try resolve(
            root: root, file: file, overrides: overrides, requireBrokers: requireBrokers, checkProperty: checkProperty,
            environment: environment, diagnostics: diagnostics)
    }

    // MARK: - Private

    private static func resolve(
        root: ConfigurationValue?, file: String?, overrides: ConfigurationOverrides, requireBrokers: Bool,
        checkProperty: PropertyCheck?, environment: [String: String], diagnostics: ConfigurationDiagnostics
    ) throws(InvalidConfiguration) -> DaemonConfiguration {
        let rootLocation = ConfigurationLocation(file: file, line: nil, keyPath: "")
        let draft =
            root.map { ConfigurationDocumentReader(reader: ConfigurationReader(diagnostics: diagnostics)).read($0) }
            ?? ConfigurationDraft(root: rootLocation)
        let baseDirectory = file.map { ($0 as NSString).deletingLastPathComponent }
        let resolver = ConfigurationResolver(
            diagnostics: diagnostics, baseDirectory: baseDirectory, sourceFile: file, requireBrokers: requireBrokers,
            checkProperty: checkProperty, environment: environment)
        let configuration = resolver.resolve(draft, overrides: overrides)
        let errors = diagnostics.sortedUniqueErrors()
        guard errors.isEmpty, let configuration else {
            throw InvalidConfiguration(
                errors.isEmpty ? [rootLocation.error(.invalidValue, "configuration could not be resolved")] : errors)
        }
        return configuration
    }

    private static func syntaxError(_ error: any Error, file: String) -> ConfigurationError {
        guard let yamlError = error as? YamlError else {
            return ConfigurationError(.yamlSyntax, file: file, line: nil, keyPath: "", "\(error)")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { " (\($0.text))" } ?? ""
            return ConfigurationError(
                .yamlSyntax, file: file, line: mark.line, keyPath: "", "invalid YAML: \(problem)\(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = Set(duplicates).sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            return ConfigurationError(
                .yamlSyntax, file: file, line: context.mark.line, keyPath: "", "duplicate key \(keys) in one mapping")
        case .reader(let problem, _, _, _):
            return ConfigurationError(.yamlSyntax, file: file, line: nil, keyPath: "", "invalid YAML: \(problem)")
        default:
            return ConfigurationError(.yamlSyntax, file: file, line: nil, keyPath: "", "invalid YAML: \(yamlError)")
        }
    }
}
