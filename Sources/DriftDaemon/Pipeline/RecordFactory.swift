import DriftCore
import DriftKafka
import Foundation

/// Turns monitor outputs and rejects into the records the daemon publishes.
public struct RecordFactory: Sendable {
    /// CloudEvents `source` attribute.
    public let source: String
    public let alertTopic: String
    public let retrainTopic: String
    public let deadLetterTopic: String

    public init(source: String, alertTopic: String, retrainTopic: String, deadLetterTopic: String) {
        self.source = source
        self.alertTopic = alertTopic
        self.retrainTopic = retrainTopic
        self.deadLetterTopic = deadLetterTopic
    }

    private static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Scores are finite by construction; should one not be, publish it as a string rather than drop the event.
        e.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return e
    }

    /// The record for an output to publish, or nil for evaluation reports (not published).
    public func record(for output: MonitorOutput) -> OutboundRecord? {
        switch output {
        case .evaluation:
            return nil
        case .alert(let alert):
            let subject = alert.feature.map { "\(alert.model)/\($0)" } ?? "\(alert.model)/\(alert.target)"
            let id = Fingerprint.of(alert.fingerprint, alert.status.rawValue, alert.firedAt, alert.window.end)
            let event = CloudEvent(
                id: id,
                source: source, type: DriftEventType.alert, subject: subject, time: alert.window.end, data: alert)
            return OutboundRecord(
                kind: .alert, topic: alertTopic, key: Array(alert.model.utf8), value: encode(event),
                headers: [
                    KafkaHeader(name: "ce_type", text: DriftEventType.alert),
                    KafkaHeader(name: "driftd-status", text: alert.status.rawValue)
                ],
                eventID: id)
        case .canary(let decision):
            // Derived from the decision and the events it rests on (the compared range and counts).
            let id = Fingerprint.of(
                decision.fingerprint, decision.decision, decision.window.start, decision.window.end,
                String(decision.events.incumbent), String(decision.events.candidate))
            let event = CloudEvent(
                id: id, source: source, type: decision.eventType, subject: "\(decision.model)/\(decision.candidate)",
                time: decision.window.end, data: decision)
            return OutboundRecord(
                kind: .alert, topic: alertTopic, key: Array(decision.model.utf8), value: encode(event),
                headers: [
                    KafkaHeader(name: "ce_type", text: decision.eventType),
                    KafkaHeader(name: "driftd-decision", text: decision.decision)
                ],
                eventID: id)
        case .retrain(let request):
            let id = Fingerprint.of(request.baselineID, "retrain", request.dataRange.end)
            let event = CloudEvent(
                id: id,
                source: source, type: DriftEventType.retrain, subject: request.model, time: request.dataRange.end,
                data: request)
            return OutboundRecord(
                kind: .retrain, topic: retrainTopic, key: Array(request.model.utf8), value: encode(event),
                headers: [KafkaHeader(name: "ce_type", text: DriftEventType.retrain)], eventID: id)
        }
    }

    /// The dead-letter record for a rejected input message: the original key and value unchanged
    /// (so the topic can be replayed into the input once the producer is fixed), the reason in headers.
    ///
    /// - Parameter rejectedAtMillis: the wall-clock time of the rejection (`driftd-rejected-at`);
    ///   `nil` leaves the header out, as `driftd replay` does so its output depends on the file only.
    public func deadLetter(
        for reject: RejectedEvent, payload: UnsafeRawBufferPointer, key: [UInt8]?, topic: String, partition: Int32?,
        offset: Int64?, rejectedAtMillis: Int64?
    ) -> OutboundRecord {
        var headers = [
            KafkaHeader(name: DeadLetterHeader.reason, text: reject.code),
            KafkaHeader(name: DeadLetterHeader.detail, text: reject.message),
            KafkaHeader(name: DeadLetterHeader.sourceTopic, text: topic)
        ]
        if let rejectedAtMillis {
            headers.append(
                KafkaHeader(name: DeadLetterHeader.rejectedAt, text: RFC3339.format(millis: rejectedAtMillis)))
        }
        if let field = reject.field { headers.append(KafkaHeader(name: DeadLetterHeader.field, text: field)) }
        if let partition {
            headers.append(KafkaHeader(name: DeadLetterHeader.sourcePartition, text: String(partition)))
        }
        if let offset { headers.append(KafkaHeader(name: DeadLetterHeader.sourceOffset, text: String(offset))) }
        return OutboundRecord(
            kind: .deadLetter, topic: deadLetterTopic, key: key, value: Array(payload), headers: headers)
    }

    private func encode(_ value: some Encodable) -> [UInt8] {
        // Encoding these plain value types cannot fail; an empty object is the defensive fallback.
        (try? Array(Self.encoder().encode(value))) ?? Array("{}".utf8)
    }
}
