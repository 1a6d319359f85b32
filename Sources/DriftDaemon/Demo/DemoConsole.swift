import DriftCore
import Foundation
import Synchronization

/// The demo's terminal output: the latest evaluation per model as a table, and each alert
/// and retrain event as it is read back from Kafka. Thread-safe.
public final class DemoConsole: Sendable {
    private struct Fields {
        var latest: EvaluationReport?
        var evaluations = 0
    }

    private let fields = Mutex(Fields())
    private let output = Mutex(())

    public init() {}

    /// Prints lines atomically.
    public func print(_ lines: String...) {
        write(lines)
    }

    /// Records an evaluation (called on the daemon's consume thread).
    public func record(_ report: EvaluationReport) {
        fields.withLock {
            $0.latest = report
            $0.evaluations += 1
        }
    }

    /// Prints the latest evaluation as a table.
    public func printScores(stage: String) {
        let (report, count) = fields.withLock { ($0.latest, $0.evaluations) }
        guard let report else {
            print("  (waiting for the first window to fill)")
            return
        }
        var lines = [
            "── \(report.model) v\(report.version): window of \(report.window.events) events ending \(report.window.end), \(count) evaluations so far; stage: \(stage)",
            "   " + pad("feature", 20) + pad("method", 18) + pad("score", 10) + pad("threshold", 11)
                + pad("p-value", 10) + pad("missing", 9) + "state"
        ]
        for column in report.columns {
            let e = column.evaluation
            let name = column.target == "prediction" ? "(prediction)" : e.feature
            let state =
                column.firing
                ? "FIRING" : (e.status == .drifted ? "drifted" : (e.status == .insufficientData ? "warming up" : "ok"))
            lines.append(
                "   " + pad(name, 20) + pad(e.method, 18) + pad(fmt(e.score), 10) + pad(fmt(e.threshold), 11)
                    + pad(e.pValue.map(fmt) ?? "-", 10) + pad(String(format: "%.0f%%", e.missingShare * 100), 9) + state
            )
        }
        write(lines)
    }

    /// Writes unbuffered, so the demo's output appears live even when piped.
    private func write(_ lines: [String]) {
        let text = lines.map { $0 + "\n" }.joined()
        output.withLock { _ in FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    private func fmt(_ x: Double) -> String {
        x != 0 && abs(x) < 0.001 ? String(format: "%.1e", x) : String(format: "%.4f", x)
    }
}
