import DriftCore
import DriftDecode

/// Baselines and schemas shared by the decode tests.
enum TestSchemas {
    static let regions = [
        "north", "south", "east", "west", "central", "islands", "coast", "mountains",
        "valley", "desert", "forest", "delta"
    ]

    /// churn: tenure (numeric), income (numeric), plan (3 categories), region (12 categories,
    /// hashed lookup), flag (booleans), code (integer categories); numeric prediction.
    static func churnBaseline(version: String = "3", withPrediction: Bool = true) -> Baseline {
        Baseline(
            id: "churn@\(version)", model: "churn", version: version, rowCount: 100,
            features: [
                FeatureProfile(name: "tenure", type: .numeric, edges: [0, 12, 24, 48], counts: [0, 25, 25, 25, 25]),
                FeatureProfile(name: "income", type: .numeric, edges: [1000, 5000], counts: [10, 80, 10]),
                FeatureProfile(
                    name: "plan", type: .categorical, categories: ["basic", "pro", "enterprise"],
                    counts: [40, 40, 20, 0]),
                FeatureProfile(
                    name: "region", type: .categorical, categories: regions,
                    counts: Array(repeating: 8, count: regions.count) + [4]),
                FeatureProfile(name: "flag", type: .categorical, categories: ["true", "false"], counts: [50, 50, 0]),
                FeatureProfile(
                    name: "code", type: .categorical, categories: ["1", "2", "-7", "18446744073709551615"],
                    counts: [25, 25, 25, 25, 0])
            ],
            prediction: withPrediction
                ? FeatureProfile(name: "prediction", type: .numeric, edges: [0.5], counts: [50, 50]) : nil)
    }

    /// fraud: two numeric features and a categorical prediction.
    static func fraudBaseline() -> Baseline {
        Baseline(
            id: "fraud@1", model: "fraud", version: "1", rowCount: 10,
            features: [
                FeatureProfile(name: "amount", type: .numeric, edges: [10, 100], counts: [3, 4, 3]),
                FeatureProfile(name: "velocity", type: .numeric, edges: [1], counts: [5, 5])
            ],
            prediction: FeatureProfile(
                name: "prediction", type: .categorical, categories: ["ok", "fraud"],
                counts: [9, 1, 0]))
    }

    static func schema(_ baseline: Baseline) -> ModelSchema {
        do { return try ModelSchema(baseline: baseline) } catch { fatalError("test baseline invalid: \(error)") }
    }

    static func registry(
        _ baselines: [Baseline] = [churnBaseline(), fraudBaseline()],
        fallback: Bool = true
    ) throws -> SchemaRegistry {
        try SchemaRegistry(schemas: baselines.map(schema), allowsVersionFallback: fallback)
    }

    static func decoder(
        _ baselines: [Baseline] = [churnBaseline(), fraudBaseline()], fallback: Bool = true,
        options: DecoderOptions = DecoderOptions(captureIDs: true)
    ) throws -> InferenceEventDecoder {
        try InferenceEventDecoder(registry: registry(baselines, fallback: fallback), options: options)
    }
}

extension InferenceEventDecoder {
    /// Decodes UTF-8 strings with a fixed fallback time.
    func decode(_ messages: [String], fallback: Int64 = 42) -> DecodedBatch {
        decode(messages: messages.map { Array($0.utf8) }, fallbackTimestampMs: [fallback])
    }
}

extension DecodedBatch {
    /// The rows of `model`, if any.
    func rows(_ model: String, version: String? = nil) -> DecodedModelBatch? {
        models.first { $0.columns.schema.model == model && (version == nil || $0.columns.schema.version == version) }
    }
}

/// Bitwise equality for doubles (NaN == NaN).
func sameBits(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
}

/// Equality up to a few units in the last place (NaN == NaN). Foundation's JSONSerialization
/// on Linux does not round decimal numbers correctly (seen up to ~20 ulps off for large
/// exponents), so the reference comparison allows a relative 1e-13; the simdjson decoder itself is exact (checked bit for
/// bit against Swift's correctly rounded parser in `numbersRoundTripExactly`).
func nearlySame(_ a: Double, _ b: Double) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    return a == b || abs(a - b) <= 1e-13 * max(abs(a), abs(b))
}
