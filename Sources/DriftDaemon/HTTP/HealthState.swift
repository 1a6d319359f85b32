import Synchronization

/// Liveness and readiness as the HTTP endpoints report them; updated by the pipeline.
///
/// Live: the consume loop has turned within `stallMillis`. Ready: live, and the consumer
/// has joined its group and holds an assignment (or has been told there is nothing to assign).
public final class HealthState: Sendable {
    private struct Fields {
        var lastLoopMillis: Int64 = 0
        var ready = false
        var stopping = false
        var detail = "starting"
    }

    private let fields = Mutex(Fields())
    /// How long the loop may go without turning before liveness fails.
    public let stallMillis: Int64

    public init(stallMillis: Int64 = 60_000) {
        self.stallMillis = stallMillis
    }

    /// The consume loop calls this every turn.
    public func heartbeat(nowMillis: Int64) {
        fields.withLock { $0.lastLoopMillis = nowMillis }
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
    public func liveness(nowMillis: Int64) -> (ok: Bool, detail: String) {
        fields.withLock { f in
            if f.lastLoopMillis == 0 { return (true, "starting") }
            let age = nowMillis - f.lastLoopMillis
            return age <= stallMillis
                ? (true, "loop turned \(age) ms ago") : (false, "consume loop stalled for \(age) ms")
        }
    }

    /// Readiness verdict and a reason.
    public func readiness(nowMillis: Int64) -> (ok: Bool, detail: String) {
        let live = liveness(nowMillis: nowMillis)
        return fields.withLock { f in
            guard live.ok else { return (false, live.detail) }
            return (f.ready && !f.stopping, f.detail)
        }
    }
}
