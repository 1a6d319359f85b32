import Dispatch
import DriftCore
import Foundation

/// Generates every stream, runs every driftd configuration over it, and writes the streams
/// (for River), their manifest and driftd's results into the output directory.
struct BenchmarkRunner {
    /// Run settings.
    let settings: BenchmarkSettings
    /// Where streams and results go.
    let outputDirectory: String
    /// Configurations to run.
    let configurations = DetectorConfiguration.all

    /// Name of driftd's results file in the output directory.
    static let resultsFileName = "driftd-results.json"
    /// Name of the stream manifest in the output directory.
    static let manifestFileName = "streams.json"

    /// Runs the benchmark; progress goes to standard error.
    func run() throws(BenchmarkError) {
        let clock = ContinuousClock()
        let started = clock.now
        let streams = outputDirectory + "/streams"
        do {
            try FileManager.default.createDirectory(atPath: streams, withIntermediateDirectories: true)
        } catch {
            throw BenchmarkError(.ioFailed, "cannot create \(streams): \(error)")
        }
        var runs: [ResultsFile.Run] = []
        var scenarioStreams: [StreamManifest.ScenarioStream] = []
        var riverNotes: [Scenario: String] = [:]
        for seed in 0..<settings.seeds {
            let model = try SyntheticModel(
                trainingRows: settings.trainingRows, seed: RandomSource.seed(settings.seed, 1, UInt64(seed)))
            var jitter = RandomSource(seed: RandomSource.seed(settings.seed, 2, UInt64(seed)))
            let change = settings.preChangeEvents + Int(jitter.unit() * Double(settings.changeJitter))
            let total = change + settings.horizonEvents
            for scenario in Scenario.allCases {
                var generator = StreamGenerator(
                    scenario: scenario, changeIndex: change, seed: RandomSource.seed(settings.seed, 3, UInt64(seed)))
                let columns = model.encodedColumns(generator.next(total))
                let file = "\(scenario.rawValue)-\(seed).f64"
                let writer = try StreamWriter(path: streams + "/" + file)
                try writer.write(columns[scenario.driftingFeature])
                try writer.close()
                let input = scenario.riverInput(model)
                riverNotes[scenario] = input.note
                scenarioStreams.append(
                    .init(
                        scenario: scenario.rawValue, seed: seed, file: "streams/" + file, events: total,
                        changeIndex: change, input: input))
                let batches = model.batches(columns, firstIndex: 0, size: settings.batchEvents)
                var outcomes: [String: ResultsFile.Outcome] = [:]
                for configuration in configurations {
                    outcomes[configuration.id] = try Self.outcome(
                        configuration, model: model, batches: batches, change: change, feature: scenario.driftingFeature
                    )
                }
                runs.append(.init(scenario: scenario.rawValue, seed: seed, changeIndex: change, outcomes: outcomes))
            }
            Self.progress("run \(seed + 1)/\(settings.seeds) done (\(Self.seconds(since: started, clock)) s)")
        }
        let stationary = try runStationary(streams: streams)
        Self.progress("stationary stream done (\(Self.seconds(since: started, clock)) s)")

        let manifest = StreamManifest(
            scenarioStreams: scenarioStreams, stationaryEvents: settings.stationaryEvents,
            stationary: stationary.features)
        let results = ResultsFile(
            tool: "driftd (DriftCore ModelMonitor)", date: Self.today(), settings: settings.described,
            detectors: configurations.map { .init(id: $0.id, label: $0.label, summary: $0.summary) },
            scenarios: Scenario.allCases.map {
                .init(
                    id: $0.rawValue, title: $0.title, feature: SyntheticModel.featureNames[$0.driftingFeature],
                    riverInput: riverNotes[$0] ?? "")
            },
            runs: runs, stationaryEvents: settings.stationaryEvents, stationary: stationary.results,
            seconds: Self.seconds(since: started, clock))
        try JSONFiles.write(manifest, to: outputDirectory + "/" + Self.manifestFileName)
        try JSONFiles.write(results, to: outputDirectory + "/" + Self.resultsFileName)
    }

    /// Runs one configuration over a change-point stream until the drifting feature alarms
    /// at or after the change, or the stream ends.
    private static func outcome(
        _ configuration: DetectorConfiguration, model: SyntheticModel, batches: [ColumnarBatch], change: Int,
        feature: Int
    ) throws(BenchmarkError) -> ResultsFile.Outcome {
        var harness = try DetectorHarness(configuration: configuration, model: model)
        var first = 0
        for batch in batches {
            harness.ingest(batch, firstIndex: first)
            first += batch.rowCount
            if first > change, harness.log.firstAlarm(feature: feature, atOrAfter: change) != nil { break }
        }
        let log = harness.log
        let others = log.features.indices.filter { $0 != feature }.reduce(0) { $0 + log.features[$1].alarms.count }
        return ResultsFile.Outcome(
            delay: log.firstAlarm(feature: feature, atOrAfter: change).map { $0 - change + 1 },
            preChangeAlarms: log.alarms(feature: feature, before: change), otherFeatureAlarms: others)
    }

    /// Streams the stationary events through every configuration (in parallel across
    /// configurations) and writes each feature's column for River.
    private func runStationary(streams: String) throws(BenchmarkError) -> (
        features: [StreamManifest.StationaryFeature], results: [ResultsFile.Stationary]
    ) {
        let model = try SyntheticModel(trainingRows: settings.trainingRows, seed: RandomSource.seed(settings.seed, 4))
        var generator = StreamGenerator(scenario: nil, changeIndex: Int.max, seed: RandomSource.seed(settings.seed, 5))
        let inputs = Scenario.stationaryRiverInputs(model)
        var features: [StreamManifest.StationaryFeature] = []
        var writers: [StreamWriter] = []
        for (i, name) in SyntheticModel.featureNames.enumerated() {
            let file = "stationary-\(name).f64"
            writers.append(try StreamWriter(path: streams + "/" + file))
            features.append(.init(feature: name, file: "streams/" + file, input: inputs[i]))
        }
        var harnesses: [HarnessSlot] = []
        for configuration in configurations {
            harnesses.append(HarnessSlot(try DetectorHarness(configuration: configuration, model: model)))
        }
        let slots = harnesses
        let chunk = settings.batchEvents * 200
        var done = 0
        while done < settings.stationaryEvents {
            let count = min(chunk, settings.stationaryEvents - done)
            let columns = model.encodedColumns(generator.next(count))
            for (i, writer) in writers.enumerated() { try writer.write(columns[i]) }
            let batches = model.batches(columns, firstIndex: done, size: settings.batchEvents)
            let firstIndex = done
            DispatchQueue.concurrentPerform(iterations: slots.count) { h in
                var first = firstIndex
                for batch in batches {
                    slots[h].harness.ingest(batch, firstIndex: first)
                    first += batch.rowCount
                }
            }
            done += count
            if done % 1_000_000 == 0 { Self.progress("stationary: \(done) events") }
        }
        for writer in writers { try writer.close() }
        let results = slots.map(\.harness).map { harness in
            ResultsFile.Stationary(
                detector: harness.configuration.id,
                features: harness.log.features.enumerated().map { i, f in
                    .init(
                        feature: SyntheticModel.featureNames[i], alarms: f.alarms.count, evaluations: f.evaluations,
                        driftedEvaluations: f.driftedEvaluations, maxScoreRatio: f.maxScoreRatio,
                        sequentialAlarms: f.sequentialAlarms)
                })
        }
        return (features, results)
    }

    private static func progress(_ line: String) {
        FileHandle.standardError.write(Data(("detection-quality: " + line + "\n").utf8))
    }

    private static func seconds(since start: ContinuousClock.Instant, _ clock: ContinuousClock) -> Double {
        let d = clock.now - start
        return (Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18).rounded()
    }

    private static func today() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: Date())
    }
}
