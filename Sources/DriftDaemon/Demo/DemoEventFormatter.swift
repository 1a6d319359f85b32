import Foundation

/// One line describing an alert or retrain CloudEvent read back from Kafka.
enum DemoEventFormatter {
    static func describe(topic: String, json: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let data = object["data"] as? [String: Any]
        else { return "  ⚠ \(topic): unreadable event \(json.prefix(120))" }
        let type = object["type"] as? String ?? "?"
        if type == "io.driftd.rollback" || type == "io.driftd.promote" {
            let events = data["events"] as? [String: Any]
            let seen = "\(events?["incumbent"] as? Int ?? 0)+\(events?["candidate"] as? Int ?? 0) events"
            let icon = type == "io.driftd.rollback" ? "⏪ ROLLBACK" : "⏫ PROMOTE"
            return
                "  \(icon) [\(topic)] \(data["model"] as? String ?? "?") \(data["candidate"] as? String ?? "?") vs \(data["incumbent"] as? String ?? "?") after \(seen): \(data["reason"] as? String ?? "")"
        }
        if type == "io.driftd.retrain" {
            let reason = data["reason"] as? String ?? ""
            return "  ⟳ RETRAIN  [\(topic)] \(data["model"] as? String ?? "?"): \(reason)"
        }
        let status = (data["status"] as? String ?? "?").uppercased()
        let feature = data["feature"] as? String ?? "(\(data["target"] as? String ?? "model"))"
        let score = (data["score"] as? Double).map { String(format: "%.4f", $0) } ?? "?"
        let threshold = (data["threshold"] as? Double).map { String(format: "%.4f", $0) } ?? "?"
        let icon = status == "FIRING" ? "🔥" : "✅"
        return
            "  \(icon) ALERT \(status) [\(topic)] \(data["model"] as? String ?? "?")/\(feature): \(data["method"] as? String ?? "?") = \(score) (threshold \(threshold)); \(data["reason"] as? String ?? "")"
    }
}
