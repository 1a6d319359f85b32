/// The shape of the messages on an input topic (`kafka.input_topics[].format`, `docs/events.md`).
public enum InputFormat: String, Sendable, CaseIterable, Equatable {
    /// driftd's own inference event (the default).
    case driftd
    /// A CloudEvents 1.0 event whose data is a driftd inference event: binary content mode
    /// (`ce_*` Kafka headers) or structured mode (`application/cloudevents+json`).
    case cloudevents
    /// Open Inference Protocol v2 JSON request and response bodies (KServe v2, Triton, MLServer).
    case oipV2 = "oip-v2"
    /// KServe's inference logger through a Knative Kafka sink: request and response CloudEvents
    /// sharing one id.
    case kserveLogger = "kserve-logger"
    /// Seldon Core 2 per-model topics: Open Inference Protocol v2 protobuf requests and responses.
    case seldonV2 = "seldon-v2"

    /// Whether the format carries tensors that the model's `tensors` mapping turns into features.
    public var usesTensors: Bool {
        switch self {
        case .driftd, .cloudevents: false
        case .oipV2, .kserveLogger, .seldonV2: true
        }
    }
}
