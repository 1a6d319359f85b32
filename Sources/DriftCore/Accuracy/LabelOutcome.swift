/// What became of one label event at the join (the `outcome` of `driftd_labels_total`).
public enum LabelOutcome: String, Sendable, Codable, CaseIterable {
    /// Matched a held prediction and was scored (correct or not).
    case joined
    /// No prediction with this id is held: never seen, of a model without accuracy tracking,
    /// without a prediction value, or already dropped (evicted at capacity or expired and swept).
    case unmatched
    /// The prediction is still held but has waited longer than `label_ttl`; not scored.
    case expired
    /// The prediction was already labelled; the label is ignored (the first label counts).
    case duplicate
    /// Matched, but the label cannot be compared with the prediction: a numeric model's label
    /// other than true/false/1/0, or a categorical prediction and label both outside the
    /// baseline's categories. Not scored.
    case unscorable
}
