import DriftCore
import Synchronization

/// Liveness and readiness as the HTTP endpoints report them; updated by the pipeline.
///
/// Live: the consume loop has turned within `stallTimeout` of wall-clock time. Ready: live, and the consumer
/// has joined its group and holds an assignment (or has been told there is nothing to assign).
public final class HealthState: Sendable {
    private struct Fields {
        var lastLoop: WallClockTime?
        var ready = false
        var stopping = false
        var detail = "starting"
    }

    private let fields = Mutex(Fields())
    /// How long the loop may go without turning before liveness fails.
    public let stallTimeout: Duration

    /// Creates the state: live (starting), not ready.
    /// - Parameter stallTimeout: How long the loop may go without turning (default 60 s).
    public init(stallTimeout: Duration = .seconds(60)) {
        self.stallTimeout = stallTimeout
    }

    /// The consume loop calls this every turn.
    /// - Parameter now: The wall-clock time of the turn.
    public func heartbeat(now: WallClockTime) {
        fields.withLock { $0.lastLoop = now }
    }

    /// Marks the daemon ready (or not), with a reason shown by /readyz.
    public func setReady(_ ready: Bool, detail: String) {
        fields.withLock {
            $0.ready = ready
            $0.detail = detail
        }
    }

    /// Marks the daemon as shutting down: readiness fails from now on.
    public func setStopping() {
        fields.withLock {
            $0.stopping = true
            $0.ready = false
            $0.detail = "shutting down"
        }
    }

    /// Liveness verdict and a reason.
    /// - Parameter now: The wall-clock time now.
    public func liveness(now: WallClockTime) -> (ok: Bool, detail: String) {
        fields.withLock { f in
            guard let last = f.lastLoop else { return (true, "starting") }
            let age = now - last
            let ms = age.wholeMilliseconds
            return age <= stallTimeout
                ? (true, "loop turned \(ms) ms ago") : (false, "consume loop stalled for \(ms) ms")
        }
    }

    /// Readiness verdict and a reason.
    /// - Parameter now: The wall-clock time now.
    public func readiness(now: WallClockTime) -> (ok: Bool, detail: String) {
        let live = liveness(now: now)
        return fields.withLock { f in
            guard live.ok else { return (false, live.detail) }
            return (f.ready && !f.stopping, f.detail)
        }
    }
}
