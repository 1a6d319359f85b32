import DriftConfig
import DriftCore
import DriftDecode
import Foundation

/// libFuzzer target: the event decoders on arbitrary bytes.
///
/// Each input is decoded
/// - whole, as one inference message, by a decoder with version fallback and one without;
/// - whole, by a decoder whose `maxEventBytes` is the configuration's minimum (256), so the
///   oversize check and the padded copy meet inputs on both sides of the limit;
/// - cut at newlines into up to 64 messages, by one `InferenceEventDecoder` and by a
///   `ParallelEventDecoder` (2 workers, slices of 1 message), whose results must be equal;
/// - cut the same way, by `LabelEventDecoder`.
/// Besides the sanitizers, the target checks that every message ends up exactly once as a row
/// or a reject, and that the parallel decoder agrees with the single one; a violation traps.
///
/// Schemas: config/baselines/churn.json (version 3, the model's default) and a copy of it as
/// version 2, so exact, fallback and unknown-version lookups are all reachable.
/// `DRIFTD_FUZZ_BASELINE` overrides the baseline path.
enum FuzzEventDecoders {
    struct Decoders {
        var fallback: InferenceEventDecoder
        var strict: InferenceEventDecoder
        var small: InferenceEventDecoder
        var parallel: ParallelEventDecoder
        var labels: LabelEventDecoder
    }

    /// Built once, on the first input; libFuzzer calls the entry point from one thread.
    nonisolated(unsafe) static var decoders: Decoders?

    static func makeDecoders() -> Decoders {
        let path =
            ProcessInfo.processInfo.environment["DRIFTD_FUZZ_BASELINE"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../config/baselines/churn.json").standardized.path
        do {
            let current = try BaselineFile.load(path: path)
            var older = current
            older.version = "2"
            older.id = "\(current.model)@2"
            let schemas = [try ModelSchema(baseline: older), try ModelSchema(baseline: current)]
            let withFallback = try SchemaRegistry(schemas: schemas, allowsVersionFallback: true)
            let withoutFallback = try SchemaRegistry(schemas: schemas, allowsVersionFallback: false)
            let options = DecoderOptions(captureIDs: true, maxUnknownFeatureNames: 4)
            return Decoders(
                fallback: try InferenceEventDecoder(registry: withFallback, options: options),
                strict: try InferenceEventDecoder(registry: withoutFallback, options: options),
                small: try InferenceEventDecoder(
                    registry: withFallback, options: DecoderOptions(maxEventBytes: 256, captureIDs: true)),
                parallel: try ParallelEventDecoder(
                    registry: withFallback, options: options, workers: 2, minimumSlice: 1),
                labels: try LabelEventDecoder(options: options))
        } catch {
            fatalError("fuzz setup: cannot build decoders from \(path): \(error)")
        }
    }

    static func run(_ bytes: [UInt8]) {
        if decoders == nil { decoders = makeDecoders() }
        let d = decoders!

        for decoder in [d.fallback, d.strict, d.small] {
            let batch = decoder.decode(messages: [bytes], fallbackTimestampMs: [1_700_000_000_000])
            checkAccounted(batch, messages: 1)
        }

        let messages = bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 63, omittingEmptySubsequences: false)
            .map(Array.init)
        let fallbacks = messages.indices.map { Int64($0) * 1000 }
        let single = d.fallback.decode(messages: messages, fallbackTimestampMs: fallbacks)
        checkAccounted(single, messages: messages.count)
        // The messages back to back in one buffer, as a consumed Kafka batch hands them over.
        let joined = messages.flatMap { $0 }
        var starts = [0]
        for message in messages { starts.append(starts[starts.count - 1] + message.count) }
        let parallel = joined.withUnsafeBytes { buffer in
            d.parallel.decode(count: messages.count) { index in
                EventPayload(
                    bytes: UnsafeRawBufferPointer(rebasing: buffer[starts[index]..<starts[index + 1]]),
                    fallbackTimestampMs: fallbacks[index])
            }
        }
        checkEqual(single, parallel)

        let labels = d.labels.decode(messages: messages, fallbackTimestampMs: fallbacks)
        var labelIndexes = labels.labels.map(\.messageIndex) + labels.rejects.map(\.messageIndex)
        labelIndexes.sort()
        guard labelIndexes == Array(messages.indices) else {
            fatalError("label decoder: messages \(messages.count), labels+rejects cover \(labelIndexes)")
        }
    }

    /// Every message is a row of exactly one schema or a reject, never both, never neither.
    static func checkAccounted(_ batch: DecodedBatch, messages: Int) {
        var indexes = batch.rejects.map(\.messageIndex)
        for model in batch.models {
            let rows = model.columns.rowCount
            guard model.messageIndexes.count == rows, model.columns.predictions.count == rows,
                model.columns.features.allSatisfy({ $0.count == rows }),
                model.eventIDs.map({ $0.count == rows }) ?? true
            else { fatalError("ragged columns in \(model.columns.schema.model)@\(model.columns.schema.version)") }
            indexes += model.messageIndexes
        }
        indexes.sort()
        guard batch.messageCount == messages, indexes == Array(0..<messages) else {
            fatalError("messages \(messages): rows and rejects cover \(indexes)")
        }
    }

    /// The parallel decoder's result equals the single decoder's (`ParallelEventDecoder` docs).
    static func checkEqual(_ a: DecodedBatch, _ b: DecodedBatch) {
        guard a.messageCount == b.messageCount, a.rejects == b.rejects, a.models.count == b.models.count else {
            fatalError("parallel decode differs: rejects \(a.rejects) vs \(b.rejects)")
        }
        for (x, y) in zip(a.models, b.models) {
            guard x.columns.schema.model == y.columns.schema.model,
                x.columns.schema.version == y.columns.schema.version,
                x.messageIndexes == y.messageIndexes, x.eventIDs == y.eventIDs,
                x.versionFallbackCount == y.versionFallbackCount,
                x.columns.timestamps == y.columns.timestamps,
                sameBits(x.columns.predictions, y.columns.predictions),
                x.columns.features.count == y.columns.features.count,
                zip(x.columns.features, y.columns.features).allSatisfy(sameBits)
            else { fatalError("parallel decode differs in \(x.columns.schema.model)@\(x.columns.schema.version)") }
        }
        let total = { (batch: DecodedBatch) in
            batch.unknownFeatures.reduce(batch.unknownFeatureOverflow) { $0 + $1.count }
        }
        guard total(a) == total(b) else { fatalError("unknown feature totals differ: \(total(a)) vs \(total(b))") }
    }

    static func sameBits(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }
}

/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEventDecoders(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzEventDecoders.run(bytes)
    return 0
}
