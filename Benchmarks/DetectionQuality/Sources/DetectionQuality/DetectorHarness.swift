import DriftCore
import Foundation

/// Runs one `DetectorConfiguration` over a stream exactly as the daemon would: batches go
/// into a `ModelMonitor` (sliding window, evaluator, alert state machine); alert firings are
/// logged at the event index where the pane that raised them closed; firings of
/// `ModelMonitor`'s own sequential detectors (method `cusum`) at the alarming event
/// (the alert window's end: event time is the event index in ms). The harness-side Page-Hinkley
/// detectors of the proposals see every value and alarm at the event itself.
struct DetectorHarness {
    /// The configuration being run.
    let configuration: DetectorConfiguration
    /// The monitor.
    private var monitor: ModelMonitor
    /// Page-Hinkley detectors by feature index (numeric features only).
    private var sequential: [(feature: Int, detector: PageHinkleyDetector)]
    private let featureIndex: [String: Int]
    /// What happened so far.
    private(set) var log: AlarmLog

    init(configuration: DetectorConfiguration, model: SyntheticModel) throws(BenchmarkError) {
        self.configuration = configuration
        do {
            monitor = try ModelMonitor(
                baseline: model.baseline, window: configuration.window, rule: { _ in configuration.rule },
                retrain: RetrainRule())
        } catch {
            throw BenchmarkError(.detectorFailed, "\(configuration.id): \(error)")
        }
        sequential = []
        for settings in configuration.sequential {
            for (i, profile) in model.baseline.features.enumerated() where profile.type == .numeric {
                guard let summary = profile.summary else {
                    throw BenchmarkError(.detectorFailed, "\(configuration.id): feature \(profile.name) has no summary")
                }
                do {
                    let lambda = try PageHinkleyDetector.lambda(
                        forDelta: settings.delta, averageRunLength: settings.averageRunLength)
                    let detector = try PageHinkleyDetector(
                        mean: summary.mean, std: summary.std, delta: settings.delta, lambda: lambda)
                    sequential.append((i, detector))
                } catch {
                    throw BenchmarkError(.detectorFailed, "\(configuration.id): \(profile.name): \(error)")
                }
            }
        }
        var index: [String: Int] = [:]
        for (i, name) in model.schema.features.map(\.name).enumerated() { index[name] = i }
        featureIndex = index
        log = AlarmLog(featureCount: model.schema.features.count)
    }

    /// Applies a batch whose first event has stream index `firstIndex` (its timestamp in ms).
    mutating func ingest(_ batch: ColumnarBatch, firstIndex: Int) {
        for s in sequential.indices {
            let feature = sequential[s].feature
            let column = batch.features[feature]
            for (offset, value) in column.enumerated() where sequential[s].detector.update(value) {
                log.features[feature].alarms.append(firstIndex + offset)
            }
        }
        var paneEnd = firstIndex
        var alarmed: [(feature: Int, index: Int)] = []
        for output in monitor.ingest(batch) {
            switch output {
            case .evaluation(let report):
                paneEnd = Int(report.windowEndMillis)
                for column in report.columns where column.target == "feature" {
                    guard let f = featureIndex[column.evaluation.feature], column.evaluation.status != .insufficientData
                    else { continue }
                    log.features[f].evaluations += 1
                    if column.evaluation.status == .drifted { log.features[f].driftedEvaluations += 1 }
                    let threshold = column.evaluation.threshold
                    if threshold > 0 {
                        log.features[f].maxScoreRatio = max(
                            log.features[f].maxScoreRatio, column.evaluation.score / threshold)
                    }
                }
            case .alert(let alert):
                if alert.status == .firing, let name = alert.feature, let f = featureIndex[name] {
                    if alert.method == ModelMonitor.sequentialMethod, let index = Self.eventIndex(alert.window.end) {
                        alarmed.append((f, index))
                    } else {
                        alarmed.append((f, paneEnd))
                    }
                }
            case .retrain, .canary:
                continue
            }
        }
        for (feature, index) in alarmed {
            log.features[feature].alarms.append(index)
        }
        for f in log.features.indices { log.features[f].alarms.sort() }
        for (f, bank) in monitor.sequentialDetectors.prefix(log.features.count).enumerated() {
            log.features[f].sequentialAlarms = bank?.alarmCount ?? 0
        }
    }

    /// The event index of an RFC 3339 event time (the benchmark's event time is the index in ms).
    private static func eventIndex(_ text: String) -> Int? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text).map { Int(($0.timeIntervalSince1970 * 1000).rounded()) }
    }
}
