import Dispatch
import DriftCore

/// Decodes a batch of inference events on several threads at once: the batch is cut into
/// consecutive slices, each slice is decoded by its own `InferenceEventDecoder` (one simdjson
/// parser per worker) under `DispatchQueue.concurrentPerform`, and the slices' results are
/// joined in message order (`DecodedBatch.concatenating`).
///
/// The result equals one decoder's (rows, ids, rejects and their message indexes, counters)
/// apart from the split of unknown feature counts between names and overflow past the per-batch
/// bound, whose total is the same. Batches smaller than `2 * minimumSlice` are decoded on the
/// calling thread.
///
/// Like `InferenceEventDecoder`, one instance serves one caller at a time. The `payload` closure
/// is called from the worker threads, each index exactly once: it must only read shared data
/// (a consumed Kafka batch's message pointers, a file's lines).
public final class ParallelEventDecoder: @unchecked Sendable {
    /// Fewest messages a worker gets: below this a slice costs more to dispatch than to decode.
    public static let defaultMinimumSlice = 256

    /// The schemas events are routed to.
    public var registry: SchemaRegistry { decoders[0].registry }
    /// Number of workers (decoders); 1 decodes on the calling thread only.
    public var workers: Int { decoders.count }
    /// Fewest messages per slice.
    public let minimumSlice: Int

    private let decoders: [InferenceEventDecoder]

    /// Creates `workers` decoders (each allocates a parser for `options.maxEventBytes`).
    /// - Parameters:
    ///   - registry: Schemas to decode against.
    ///   - options: Decoder options, shared by every worker.
    ///   - workers: Threads that decode one batch; at least 1.
    ///   - minimumSlice: Fewest messages per slice; at least 1.
    /// - Throws: `DecoderSetupError` as `InferenceEventDecoder.init`, or `invalidOptions` for a
    ///   worker count or slice size below 1.
    public init(
        registry: SchemaRegistry, options: DecoderOptions = DecoderOptions(), workers: Int,
        minimumSlice: Int = ParallelEventDecoder.defaultMinimumSlice
    ) throws(DecoderSetupError) {
        guard workers >= 1, minimumSlice >= 1 else {
            throw DecoderSetupError(
                .invalidOptions, "workers (\(workers)) and minimumSlice (\(minimumSlice)) must be at least 1")
        }
        var decoders: [InferenceEventDecoder] = []
        for _ in 0..<workers { decoders.append(try InferenceEventDecoder(registry: registry, options: options)) }
        self.decoders = decoders
        self.minimumSlice = minimumSlice
    }

    /// Decodes `count` messages; `payload(i)` gives message `i`'s bytes and fallback time.
    ///
    /// The bytes returned for an index only need to stay valid until that worker's next call.
    /// - Parameters:
    ///   - count: Number of messages; negative counts decode nothing.
    ///   - payload: Message `i`'s bytes and fallback timestamp; called once per index, from
    ///     worker threads, in index order within each slice.
    /// - Returns: Rows per schema, rejects with reasons, and counters, as one decoder's.
    public func decode(count: Int, payload: (_ index: Int) -> EventPayload) -> DecodedBatch {
        let slices = min(decoders.count, max(1, count / minimumSlice))
        guard slices > 1 else { return decoders[0].decode(count: count, payload: payload) }
        let bounds = (0...slices).map { count * $0 / slices }
        var parts = [DecodedBatch?](repeating: nil, count: slices)
        parts.withUnsafeMutableBufferPointer { results in
            // Each worker writes its own element and reads the payloads of its own slice only.
            nonisolated(unsafe) let results = results
            let decoders = self.decoders
            withoutActuallyEscaping(payload) { payload in
                nonisolated(unsafe) let payload = payload
                DispatchQueue.concurrentPerform(iterations: slices) { s in
                    let start = bounds[s]
                    results[s] = decoders[s].decode(count: bounds[s + 1] - start) { payload(start + $0) }
                }
            }
        }
        return DecodedBatch.concatenating(parts.map { $0! }, schemaOrder: registry.schemas)
    }
}
