import DriftConfig
import DriftCore
import DriftDecode
import Foundation

/// `driftd replay`: runs a JSON-lines file of inference events through the same decoding,
/// windowing and decision code as the daemon, with no broker, and writes each record the
/// daemon would publish (alerts, retrain requests, dead letters) as one JSON line.
///
/// With a labels file (JSON lines of label events), labels are merged with the inference
/// events by event time at batch granularity: after each batch of `batchSize` inference lines,
/// every label stamped at or before the latest inference event time applied so far is joined
/// (in timestamp order, file order among equal times); labels later than every inference
/// event are joined at the end. Accuracy alerts appear among the records.
public struct ReplayRunner {
    private let configuration: DaemonConfiguration
    private let factory: RecordFactory
    /// Lines decoded per batch (the daemon's `batch_size`).
    public let batchSize: Int

    public init(configuration: DaemonConfiguration, source: String = "driftd/replay") throws(DaemonError) {
        self.configuration = configuration
        // Fail early on bad baselines rather than at the first run.
        _ = try Self.makeProcessor(configuration)
        let kafka = configuration.kafka
        self.factory = RecordFactory(
            source: source, alertTopic: kafka.alertTopic, retrainTopic: kafka.retrainTopic,
            deadLetterTopic: kafka.deadLetterTopic)
        self.batchSize = max(1, kafka.batchSize)
    }

    /// Replays `path`; `emit` receives each record the daemon would publish and `onEvaluation`
    /// each window evaluation. `ReplayRunner.line(for:)` renders a record as a JSON line.
    /// - Parameters:
    ///   - path: JSON-lines file of inference events.
    ///   - labelsPath: Optional JSON-lines file of label events, merged by event time.
    ///   - emit: Receives each record.
    ///   - onEvaluation: Receives each window evaluation.
    public func run(
        path: String, labels labelsPath: String? = nil, emit: (OutboundRecord) -> Void,
        onEvaluation: (EvaluationReport) -> Void = { _ in }
    ) throws(DaemonError) -> ReplaySummary {
        let data = try Self.read(path)
        // Every run starts from empty windows.
        let processor = try Self.makeProcessor(configuration)
        var summary = ReplaySummary()
        var pending =
            try labelsPath.map { (labelsPath) throws(DaemonError) in
                try loadLabels(labelsPath, processor: processor, summary: &summary, emit: emit)
            } ?? []
        var nextLabel = 0
        /// Joins the sorted labels up to `limit` (all of them when nil).
        func joinLabels(upTo limit: Int64?) {
            var end = nextLabel
            while end < pending.count, limit.map({ pending[end].timestampMs <= $0 }) ?? true { end += 1 }
            guard end > nextLabel else { return }
            let result = processor.applyLabels(Array(pending[nextLabel..<end]))
            nextLabel = end
            for (_, counts) in result.labels { summary.labels.add(counts) }
            summary.accuracyEvaluations += result.accuracy.count
            account(result.outputs, into: &summary, emit: emit, onEvaluation: onEvaluation)
        }
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var lines: [Range<Int>] = []
            var lineNumbers: [Int] = []
            func flush() {
                guard !lines.isEmpty else { return }
                let result = processor.process(count: lines.count, now: WallClockTime(millisecondsSinceEpoch: 0)) { i in
                    EventPayload(bytes: UnsafeRawBufferPointer(rebasing: bytes[lines[i]]), fallbackTimestampMs: 0)
                }
                summary.applied += result.applied
                summary.rejected += result.rejects.count
                for reject in result.rejects {
                    let i = reject.messageIndex
                    emit(
                        factory.deadLetter(
                            for: reject, payload: UnsafeRawBufferPointer(rebasing: bytes[lines[i]]), key: nil,
                            topic: path,
                            partition: nil, offset: Int64(lineNumbers[i]), rejectedAtMillis: nil))
                }
                account(result.outputs, into: &summary, emit: emit, onEvaluation: onEvaluation)
                summary.retiredVersions += processor.takeRetired().count
                lines.removeAll(keepingCapacity: true)
                lineNumbers.removeAll(keepingCapacity: true)
                if let latest = processor.latestEventTime { joinLabels(upTo: latest.millisecondsSinceEpoch) }
            }
            Self.forEachLine(in: bytes) { line, number in
                lines.append(line)
                lineNumbers.append(number)
                summary.lines += 1
                if lines.count >= batchSize { flush() }
            }
            flush()
        }
        joinLabels(upTo: nil)
        pending.removeAll()
        return summary
    }

    private static func read(_ path: String) throws(DaemonError) -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw DaemonError(.input, "\(path): cannot read: \(error.localizedDescription)")
        }
    }

    /// Decodes a labels file; emits its rejects as dead letters (offset = line number) and
    /// returns the labels sorted by event time, file order among equal times.
    private func loadLabels(
        _ path: String, processor: EventProcessor, summary: inout ReplaySummary, emit: (OutboundRecord) -> Void
    ) throws(DaemonError) -> [LabelEvent] {
        let data = try Self.read(path)
        var messages: [[UInt8]] = []
        var lineNumbers: [Int] = []
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            Self.forEachLine(in: bytes) { line, number in
                messages.append(Array(bytes[line]))
                lineNumbers.append(number)
            }
        }
        summary.labelLines = messages.count
        let decoded = processor.decodeLabels(messages: messages, fallbackTimestampMs: 0)
        summary.labelsRejected = decoded.rejects.count
        for reject in decoded.rejects {
            let i = reject.messageIndex
            messages[i].withUnsafeBytes { payload in
                emit(
                    factory.deadLetter(
                        for: RejectedEvent(reject), payload: payload, key: nil, topic: path, partition: nil,
                        offset: Int64(lineNumbers[i]), rejectedAtMillis: nil))
            }
        }
        return decoded.labels.enumerated()
            .sorted { ($0.element.timestampMs, $0.offset) < ($1.element.timestampMs, $1.offset) }
            .map(\.element)
    }

    private static func makeProcessor(_ configuration: DaemonConfiguration) throws(DaemonError) -> EventProcessor {
        // No wall-clock check: a replayed file is history.
        try EventProcessor(
            models: configuration.models, maxEventBytes: configuration.limits.maxEventBytes, maxFutureSkew: nil,
            decodeWorkers: configuration.limits.effectiveDecodeThreads, versions: configuration.versions)
    }

    /// One JSON document (no newline) for a record: the CloudEvent for alerts and retrain
    /// requests, an object with the headers and original payload for dead letters.
    public static func line(for record: OutboundRecord) -> [UInt8] { ReplayLine.render(record) }

    private func account(
        _ outputs: [MonitorOutput], into summary: inout ReplaySummary, emit: (OutboundRecord) -> Void,
        onEvaluation: (EvaluationReport) -> Void
    ) {
        for output in outputs {
            switch output {
            case .evaluation(let report):
                summary.evaluations += 1
                onEvaluation(report)
            case .alert:
                summary.alerts += 1
            case .retrain:
                summary.retrains += 1
            case .canary:
                summary.canaryDecisions += 1
            }
            if let record = factory.record(for: output) { emit(record) }
        }
    }

    /// Calls `body` with each non-blank line of a JSON-lines file (without its `\n` or `\r\n`)
    /// and its 1-based line number.
    private static func forEachLine(in bytes: UnsafeRawBufferPointer, _ body: (Range<Int>, Int) -> Void) {
        var start = 0
        var number = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            number += 1
            var trimmed = end
            if trimmed > start && bytes[trimmed - 1] == UInt8(ascii: "\r") { trimmed -= 1 }
            if !isBlank(bytes, start..<trimmed) { body(start..<trimmed, number) }
            start = end + 1
        }
    }

    private static func isBlank(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        range.allSatisfy { bytes[$0] == UInt8(ascii: " ") || bytes[$0] == UInt8(ascii: "\t") }
    }
}
