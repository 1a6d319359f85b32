/// Label events per outcome, and how many joined labels agreed with the prediction.
public struct LabelCounts: Sendable, Equatable, Codable {
    /// Labels per outcome; outcomes never seen are absent.
    public private(set) var byOutcome: [LabelOutcome: Int] = [:]
    /// Joined labels equal to the predicted class.
    public private(set) var correct: Int = 0

    /// Empty counts.
    public init() {}

    /// Labels with `outcome`.
    /// - Parameter outcome: The outcome.
    /// - Returns: Its count (0 when none).
    public subscript(_ outcome: LabelOutcome) -> Int { byOutcome[outcome] ?? 0 }

    /// All labels counted.
    public var total: Int { byOutcome.values.reduce(0, +) }

    /// Counts one label.
    /// - Parameters:
    ///   - outcome: What became of it.
    ///   - correct: For joined labels, whether the prediction was right.
    public mutating func add(_ outcome: LabelOutcome, correct: Bool = false) {
        byOutcome[outcome, default: 0] += 1
        if outcome == .joined && correct { self.correct += 1 }
    }

    /// Adds another set of counts.
    /// - Parameter other: Counts to add.
    public mutating func add(_ other: LabelCounts) {
        for (outcome, count) in other.byOutcome { byOutcome[outcome, default: 0] += count }
        correct += other.correct
    }
}
