/// A delayed ground-truth label for an earlier inference event, joined on (`model`, `id`).
public struct LabelEvent: Sendable, Equatable {
    /// The model the labelled inference belongs to.
    public var model: String
    /// The inference event's `id` (integers in canonical decimal form).
    public var id: String
    /// The label as text: strings as is, booleans `true`/`false`, integers in canonical decimal
    /// form, other numbers in shortest round-trip form (`0.25`, `1e-07`).
    public var label: String
    /// Event time, epoch milliseconds (the message's fallback time when the event has none).
    public var timestampMs: Int64
    /// Index of the message in the decoded batch.
    public var messageIndex: Int

    /// Creates a label event.
    /// - Parameters:
    ///   - model: Model identifier.
    ///   - id: Inference event id.
    ///   - label: Label text.
    ///   - timestampMs: Event time in epoch milliseconds.
    ///   - messageIndex: Source message index.
    public init(model: String, id: String, label: String, timestampMs: Int64, messageIndex: Int) {
        self.model = model
        self.id = id
        self.label = label
        self.timestampMs = timestampMs
        self.messageIndex = messageIndex
    }
}
