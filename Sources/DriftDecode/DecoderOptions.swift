/// Settings of an `InferenceEventDecoder` or a `LabelEventDecoder`.
public struct DecoderOptions: Sendable, Equatable {
    /// Default `maxEventBytes`: 64 KiB.
    public static let defaultMaxEventBytes = 64 * 1024
    /// Upper bound of `maxEventBytes`: 64 MiB (the decoder allocates about 10 bytes per byte of it).
    public static let maxEventBytesLimit = 64 * 1024 * 1024

    /// Messages longer than this are rejected as `oversized` without being parsed.
    /// Must be in `1...maxEventBytesLimit`.
    public var maxEventBytes: Int
    /// Keep each accepted row's event `id` (for the delayed-label join).
    public var captureIDs: Bool
    /// Distinct (schema, feature name) pairs of unknown features counted per batch; further
    /// names are only counted in `DecodedBatch.unknownFeatureOverflow`. Must not be negative.
    public var maxUnknownFeatureNames: Int

    /// Creates options.
    /// - Parameters:
    ///   - maxEventBytes: Largest accepted message, in bytes (default 64 KiB).
    ///   - captureIDs: Keep event ids per row (default false).
    ///   - maxUnknownFeatureNames: Bound of the unknown feature counters per batch (default 256).
    public init(
        maxEventBytes: Int = DecoderOptions.defaultMaxEventBytes, captureIDs: Bool = false,
        maxUnknownFeatureNames: Int = 256
    ) {
        self.maxEventBytes = maxEventBytes
        self.captureIDs = captureIDs
        self.maxUnknownFeatureNames = maxUnknownFeatureNames
    }

    /// Checks the ranges documented on each property.
    func validate() throws(DecoderSetupError) {
        guard (1...Self.maxEventBytesLimit).contains(maxEventBytes) else {
            throw DecoderSetupError(
                .invalidOptions,
                "maxEventBytes is \(maxEventBytes), must be in 1...\(Self.maxEventBytesLimit)")
        }
        guard maxUnknownFeatureNames >= 0 else {
            throw DecoderSetupError(.invalidOptions, "maxUnknownFeatureNames is negative")
        }
    }
}
