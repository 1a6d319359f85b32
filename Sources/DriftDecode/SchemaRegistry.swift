import DriftCore

/// The model schemas a decoder routes events to, looked up by the event's `model` and `version`.
///
/// Lookup rules (also in `docs/events.md`):
/// - an event with a `version` uses the schema of exactly (model, version) when one is loaded;
/// - otherwise, if `allowsVersionFallback` is true, it uses the model's *default* schema and
///   the decoder counts a version fallback; if false, the event is rejected (`unknown_version`);
/// - an event without a `version` uses the model's default schema (not a fallback);
/// - a model with no schema at all is rejected (`unknown_model`).
///
/// The default schema of a model is the one listed last for it in `schemas` (so list baselines
/// oldest first and the newest is the default).
public struct SchemaRegistry: Sendable {
    /// The result of a lookup.
    public struct Match: Sendable {
        /// Index into `schemas`.
        public var index: Int
        /// The schema.
        public var schema: ModelSchema
        /// True when the event's version had no schema and the model's default was used.
        public var isVersionFallback: Bool
    }

    /// All schemas, in the order given; decoders use these indexes.
    public let schemas: [ModelSchema]
    /// Whether an unknown version falls back to the model's default schema.
    public let allowsVersionFallback: Bool

    private let exact: [ModelVersion: Int]
    private let defaults: [String: Int]

    private struct ModelVersion: Hashable, Sendable {
        var model: String
        var version: String
    }

    /// Builds a registry.
    /// - Parameters:
    ///   - schemas: The schemas; (model, version) pairs must be unique.
    ///   - allowsVersionFallback: Route events of an unknown version to the model's default schema
    ///     (counted) instead of rejecting them. Default true.
    /// - Throws: `DecoderSetupError` with code `duplicateSchema` when a (model, version) repeats.
    public init(schemas: [ModelSchema], allowsVersionFallback: Bool = true) throws(DecoderSetupError) {
        var exact: [ModelVersion: Int] = [:]
        var defaults: [String: Int] = [:]
        for (index, schema) in schemas.enumerated() {
            let key = ModelVersion(model: schema.model, version: schema.version)
            if exact[key] != nil {
                throw DecoderSetupError(
                    .duplicateSchema,
                    "model '\(schema.model)' version '\(schema.version)' is listed twice")
            }
            exact[key] = index
            defaults[schema.model] = index
        }
        self.schemas = schemas
        self.allowsVersionFallback = allowsVersionFallback
        self.exact = exact
        self.defaults = defaults
    }

    /// The schema an event of `model` and `version` decodes with, by the rules above;
    /// nil when the event would be rejected (`unknown_model` or `unknown_version`).
    /// - Parameters:
    ///   - model: The event's `model`.
    ///   - version: The event's `version`, nil when it has none.
    public func match(model: String, version: String?) -> Match? {
        if let version, let index = exact[ModelVersion(model: model, version: version)] {
            return Match(index: index, schema: schemas[index], isVersionFallback: false)
        }
        guard let index = defaults[model] else { return nil }
        if version != nil && !allowsVersionFallback { return nil }
        return Match(index: index, schema: schemas[index], isVersionFallback: version != nil)
    }
}
