import DriftConfig
import DriftCore
import DriftDaemon
import DriftDecode
import Foundation
import Testing

/// Several versions of one model in one processor: routing, unknown versions, idle retirement.
@Suite("Event processor: versions")
struct VersionsProcessorTests {
    /// Baselines of model `m`, x ~ N(0, 1), c in {a, b}, score ~ N(0.3, 0.1), for each version.
    static func baselines(_ versions: [String]) throws -> [Baseline] {
        var r = SplitMix64(seed: 5)
        var x: [DataValue] = []
        var c: [DataValue] = []
        var score: [DataValue] = []
        for _ in 0..<5_000 {
            x.append(.number(r.nextStandardNormal()))
            c.append(.string(r.nextUnitInterval() < 0.6 ? "a" : "b"))
            score.append(.number(0.3 + 0.1 * r.nextStandardNormal()))
        }
        let columns = [
            DataColumn(name: "x", values: x), DataColumn(name: "c", values: c), DataColumn(name: "score", values: score)
        ]
        return try versions.map {
            try BaselineBuilder().build(model: "m", version: $0, columns: columns, predictionColumn: "score")
        }
    }

    static func processor(
        _ versions: [String], policy: VersionPolicy = VersionPolicy(),
        window: WindowSpec = .time(duration: .seconds(240), panes: 4)
    ) throws -> EventProcessor {
        let models = try baselines(versions).map {
            ModelConfiguration(
                baselinePath: "(memory)", baseline: $0, window: window,
                defaultRule: AlertRule(forEvaluations: 1, cooldown: .zero, minSamples: 50))
        }
        return try EventProcessor(models: models, maxEventBytes: 65_536, maxFutureSkew: nil, versions: policy)
    }

    /// One event per (version, time): `"version"` written as given (nil: no version key).
    static func send(
        _ p: EventProcessor, _ events: [(version: String?, time: Int64, x: Double)], latency: Double? = nil
    ) -> ProcessingResult {
        let messages = events.map { e -> [UInt8] in
            let version = e.version.map { #""version":\#($0),"# } ?? ""
            let l = latency.map { ",\"latency_ms\":\($0)" } ?? ""
            return Array(
                #"{"model":"m",\#(version)"timestamp":\#(e.time),"features":{"x":\#(e.x),"c":"a"},"prediction":0.3\#(l)}"#
                    .utf8)
        }
        return messages.withUnsafeBufferPointers { buffers in
            p.process(count: buffers.count, now: WallClockTime(millisecondsSinceEpoch: 0)) {
                EventPayload(bytes: buffers[$0], fallbackTimestampMs: 0)
            }
        }
    }

    static let t0: Int64 = 1_795_000_000_000

    @Test("events route by (model, version): separate windows, counts and alert series")
    func routing() throws {
        let p = try Self.processor(["1", "2"])
        var alerts: [AlertPayload] = []
        // Version 2 drifts in x; version 1 does not.
        var r = SplitMix64(seed: 9)
        for minute in 0..<6 {
            let events = (0..<120).map { i -> (String?, Int64, Double) in
                let t = Self.t0 + Int64(minute) * 60_000 + Int64(i / 2) * 1_000
                let x = r.nextStandardNormal()
                return i % 2 == 0 ? ("\"1\"", t, x) : ("2", t, 3 + x)
            }
            let result = Self.send(p, events)
            #expect(result.appliedPerVersion[ModelVersion(model: "m", version: "1")] == 60)
            #expect(result.appliedPerVersion[ModelVersion(model: "m", version: "2")] == 60)
            alerts += result.outputs.compactMap { if case .alert(let a) = $0 { a } else { nil } }
        }
        let firing = alerts.filter { $0.status == .firing && $0.feature == "x" }
        #expect(!firing.isEmpty && firing.allSatisfy { $0.version == "2" && $0.baselineID.hasPrefix("m@2:") })
        // Fingerprints of the two versions differ for the same (model, target, feature).
        let v1 = Fingerprint.of("m", "1", "feature", "x")
        let v2 = Fingerprint.of("m", "2", "feature", "x")
        #expect(v1 != v2 && firing.allSatisfy { $0.fingerprint == v2 })
        #expect(Set(p.state.keys) == Set(p.monitors.map(\.baseline.id)) && p.state.count == 2)
    }

    @Test("unknown version, latest: the newest baseline, counted as a fallback")
    func unknownLatest() throws {
        let p = try Self.processor(["3", "7"])
        let r = Self.send(p, [("\"5\"", Self.t0, 0), ("\"12\"", Self.t0, 0), ("\"2\"", Self.t0, 0)])
        #expect(r.rejects.isEmpty && r.versionFallbacks == 3)
        #expect(r.appliedPerVersion == [ModelVersion(model: "m", version: "7"): 3])
    }

    @Test("unknown version, nearest_older: the newest configured version below it; none older is dead-lettered")
    func unknownNearestOlder() throws {
        let p = try Self.processor(["3", "7"], policy: VersionPolicy(unknownVersion: .nearestOlder))
        let r = Self.send(
            p,
            [
                ("\"5\"", Self.t0, 0), ("12", Self.t0, 0), ("\"2\"", Self.t0, 0), ("\"7\"", Self.t0, 0),
                (nil, Self.t0, 0),
                ("\"3.1\"", Self.t0, 0)
            ])
        #expect(
            r.appliedPerVersion == [
                ModelVersion(model: "m", version: "3"): 2, ModelVersion(model: "m", version: "7"): 3
            ])
        #expect(r.versionFallbacks == 3)
        #expect(r.rejects.count == 1)
        let reject = try #require(r.rejects.first)
        #expect(
            reject.messageIndex == 2 && reject.code == "unknown_version"
                && reject.message.contains("no configured version is older"))
        // The routed events are applied with their own message indexes (for ledgers and skips).
        let id3 = try #require(p.monitors.first { $0.baseline.version == "3" }?.baseline.id)
        #expect(r.appliedMessages[id3]?.sorted() == [0, 5])
    }

    @Test("unknown version, dead_letter: rejected with unknown_version")
    func unknownDeadLetter() throws {
        let p = try Self.processor(["3", "7"], policy: VersionPolicy(unknownVersion: .deadLetter))
        let r = Self.send(p, [("\"5\"", Self.t0, 0), ("\"7\"", Self.t0, 0), (nil, Self.t0, 0)])
        #expect(r.applied == 2 && r.rejects.map(\.code) == ["unknown_version"] && r.rejects.first?.messageIndex == 0)
    }

    @Test("a version idle for retire_after (event time) is retired: state emptied, metric series unregistered")
    func retirement() throws {
        let p = try Self.processor(["1", "2"], policy: VersionPolicy(retireAfter: .seconds(600)))
        let metrics = DaemonMetrics()
        let v1 = ModelVersion(model: "m", version: "1")
        let v2 = ModelVersion(model: "m", version: "2")
        // Both versions for 5 minutes, then only version 2 for 11 more.
        for minute in 0..<16 {
            var events: [(String?, Int64, Double)] = []
            for i in 0..<30 {
                let t = Self.t0 + Int64(minute) * 60_000 + Int64(i) * 2_000
                events.append(("\"2\"", t, 0.1))
                if minute < 5 { events.append(("\"1\"", t, 0.1)) }
            }
            let r = Self.send(p, events, latency: 20)
            for (owner, n) in r.appliedPerVersion { metrics.processed(owner, count: n) }
            metrics.serving(r.serving)
            let retired = p.takeRetired()
            if minute < 14 {
                #expect(retired.isEmpty, "minute \(minute)")
                if minute == 13 {
                    #expect((p.monitors.first { $0.baseline.version == "1" }?.window.events ?? 0) > 0)
                    #expect(p.servingMonitors.first { $0.version == "1" }?.latest != nil)
                }
            } else if minute == 14 {
                // Version 1's last event: minute 4 + 58 s; 10 minutes later is within minute 14.
                #expect(retired.map(\.modelVersion) == [v1])
                let record = try #require(retired.first)
                #expect(record.lastEvent.millisecondsSinceEpoch == Self.t0 + 4 * 60_000 + 58_000)
                #expect(record.retiredAt - record.lastEvent >= .seconds(600))
                #expect(metrics.retire(v1) > 0)
            }
        }
        #expect(metrics.versionsWithSeries == [v2])
        let text = String(decoding: metrics.registry.emitToBuffer(), as: UTF8.self)
        #expect(!text.contains(#"version="1""#) && text.contains(#"version="2""#), "\(text)")
        // Its state is fresh: an empty window, no serving figures.
        #expect(p.servingMonitors.first { $0.version == "1" }?.latest == nil)
        #expect(p.monitors.first { $0.baseline.version == "1" }?.window.events == 0)
        // Traffic coming back starts it afresh.
        let back = Self.send(p, [("\"1\"", Self.t0 + 16 * 60_000, 0.1)])
        #expect(back.appliedPerVersion[v1] == 1)
    }

    @Test("state saved before versions and canaries existed (no canary key) restores")
    func oldState() throws {
        let p = try Self.processor(["1"])
        _ = Self.send(p, (0..<100).map { (nil, Self.t0 + Int64($0) * 1_000, 0.1) })
        let saved = try JSONEncoder().encode(p.state)
        var object = try #require(try JSONSerialization.jsonObject(with: saved) as? [String: Any])
        for (key, value) in object {
            var state = try #require(value as? [String: Any])
            state.removeValue(forKey: "canary")
            object[key] = state
        }
        let old = try JSONDecoder().decode(
            [String: ModelMonitor.State].self, from: JSONSerialization.data(withJSONObject: object))
        let q = try Self.processor(["1"])
        #expect(q.restore(old) == Array(old.keys))
        #expect(q.monitors[0].window.state == p.monitors[0].window.state && p.monitors[0].window.events > 0)
    }

    @Test("labels join the version holding the labelled prediction; each version has its own accuracy")
    func labelsPerVersion() throws {
        let models = try Self.baselines(["1", "2"]).map {
            ModelConfiguration(
                baselinePath: "(memory)", baseline: $0, window: .count(events: 1_000, panes: 4),
                accuracy: AccuracyRule(
                    enabled: true, windowEvents: 100, panes: 2, minSamples: 10, positiveThreshold: 0.5))
        }
        let p = try EventProcessor(models: models, maxEventBytes: 65_536, maxFutureSkew: nil)
        let inference = (0..<200).map { i -> [UInt8] in
            let version = i % 2 == 0 ? "1" : "2"
            return Array(
                #"{"model":"m","version":"\#(version)","id":"e\#(i)","timestamp":\#(Self.t0 + Int64(i)),"features":{"x":0.1,"c":"a"},"prediction":0.9}"#
                    .utf8)
        }
        let applied = inference.withUnsafeBufferPointers { buffers in
            p.process(count: buffers.count, now: WallClockTime(millisecondsSinceEpoch: 0)) {
                EventPayload(bytes: buffers[$0], fallbackTimestampMs: 0)
            }
        }
        #expect(
            applied.pendingPredictions == [
                ModelVersion(model: "m", version: "1"): 100, ModelVersion(model: "m", version: "2"): 100
            ])
        // Labels of version 2's predictions only (odd ids), all correct; and one unknown id.
        let labels =
            ((0..<100).map { #"{"model":"m","id":"e\#(2 * $0 + 1)","label":1,"timestamp":\#(Self.t0 + 500)}"# }
            + [#"{"model":"m","id":"nope","label":1,"timestamp":\#(Self.t0 + 500)}"#]).map { Array($0.utf8) }
        let joined = labels.withUnsafeBufferPointers { buffers in
            p.processLabels(count: buffers.count, now: WallClockTime(millisecondsSinceEpoch: 0)) {
                EventPayload(bytes: buffers[$0], fallbackTimestampMs: 0)
            }
        }
        #expect(joined.labels["m"]?[.joined] == 100 && joined.labels["m"]?[.unmatched] == 1)
        #expect(joined.pendingPredictions[ModelVersion(model: "m", version: "2")] == 0)
        #expect(p.accuracyMonitors.first { $0.version == "1" }?.store.pendingCount == 100)
        #expect(!joined.accuracy.isEmpty && joined.accuracy.allSatisfy { $0.version == "2" })
    }
}
