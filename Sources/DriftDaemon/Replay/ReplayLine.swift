import DriftKafka
import Foundation

/// How `driftd replay` prints a record: alert and retrain CloudEvents as they would be
/// published; a dead letter as one JSON object with its headers and the original line.
enum ReplayLine {
    static func render(_ record: OutboundRecord) -> [UInt8] {
        guard record.kind == .deadLetter else { return record.value }
        var object: [String: Any] = ["type": "driftd.dead_letter", "topic": record.topic]
        var headers: [String: String] = [:]
        for header in record.headers { headers[header.name] = header.value.map { String(decoding: $0, as: UTF8.self) } }
        object["headers"] = headers
        if let text = String(validating: record.value, as: UTF8.self) {
            object["payload"] = text
        } else {
            object["payload_base64"] = Data(record.value).base64EncodedString()
        }
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return Array(data)
    }
}
