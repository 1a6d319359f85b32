import DriftCore
import Synchronization

/// Combines the readiness of the scale-out stages of one process into the daemon's
/// `HealthState` and `driftd_output_blocked`: ready only while every stage is ready (its output
/// topics usable, no rollback in its back-off), blocked while any stage is, live while every
/// stage's loop turns (docs/operations.md, "Health").
final class StageReadiness: Sendable {
    private struct Stage {
        var ready = false
        var blocked = false
        var detail = "starting"
        var lastLoopMillis: Int64 = 0
    }

    private let health: HealthState
    private let metrics: DaemonMetrics
    private let stages: Mutex<[String: Stage]>

    /// - Parameter stages: the names of the stages run by this process (`ingest`, `evaluate`).
    init(health: HealthState, metrics: DaemonMetrics, stages: [String]) {
        self.health = health
        self.metrics = metrics
        self.stages = Mutex(Dictionary(stages.map { ($0, Stage()) }, uniquingKeysWith: { a, _ in a }))
        health.setReady(false, detail: "scale-out stages starting")
    }

    /// Stage `name` is ready (or not), with a reason.
    func setReady(_ name: String, _ ready: Bool, detail: String) {
        update(name) {
            $0.ready = ready
            $0.detail = detail
        }
    }

    /// Stage `name`'s outputs are blocked (or not).
    func setBlocked(_ name: String, _ blocked: Bool) {
        update(name) { $0.blocked = blocked }
    }

    /// Stage `name`'s loop turned at `nowMillis`; liveness follows the stage that turned last longest ago.
    func heartbeat(_ name: String, nowMillis: Int64) {
        // Under the lock, so two stages cannot report out of order. A stage that has not turned
        // yet counts as starting (HealthState treats 0 as starting).
        stages.withLock { stages in
            stages[name]?.lastLoopMillis = nowMillis
            health.heartbeat(
                now: WallClockTime(millisecondsSinceEpoch: stages.values.map(\.lastLoopMillis).min() ?? nowMillis))
        }
    }

    /// The current verdict (tests).
    var verdict: (ready: Bool, detail: String) {
        stages.withLock { Self.combine($0) }
    }

    private func update(_ name: String, _ change: (inout Stage) -> Void) {
        // Under the lock, so two stages cannot report out of order.
        stages.withLock { stages in
            if var stage = stages[name] {
                change(&stage)
                stages[name] = stage
            }
            let verdict = Self.combine(stages)
            health.setReady(verdict.ready, detail: verdict.detail)
            metrics.outputBlocked(stages.values.contains { $0.blocked })
        }
    }

    private static func combine(_ stages: [String: Stage]) -> (ready: Bool, detail: String) {
        let names = stages.keys.sorted()
        let ready = !stages.isEmpty && stages.values.allSatisfy(\.ready)
        let detail = names.map { "\($0): \(stages[$0]?.detail ?? "")" }.joined(separator: "; ")
        return (ready, detail)
    }
}
