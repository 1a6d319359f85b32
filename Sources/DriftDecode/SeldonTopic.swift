/// A Seldon Core 2 model topic name: `seldon.<namespace>.model.<name>.inputs` (requests) or
/// `.outputs` (responses).
struct SeldonTopic: Equatable {
    /// The model name.
    let model: String
    /// Whether the topic carries requests (`.inputs`).
    let isRequest: Bool
    /// The topic without its `.inputs`/`.outputs` suffix: requests and responses of one model
    /// are joined within it.
    let scope: String

    /// Parses a topic name; `nil` when it is not a Seldon model topic.
    init?(_ topic: String) {
        let parts = topic.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 5, parts[0] == "seldon", parts[2] == "model",
            parts.last == "inputs" || parts.last == "outputs"
        else { return nil }
        let name = parts[3..<parts.count - 1].joined(separator: ".")
        guard !parts[1].isEmpty, !name.isEmpty else { return nil }
        self.model = name
        self.isRequest = parts.last == "inputs"
        self.scope = parts[0..<parts.count - 1].joined(separator: ".")
    }
}
