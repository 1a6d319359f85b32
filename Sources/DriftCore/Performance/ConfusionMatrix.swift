/// Counts of (label class, predicted class) pairs in a window of scored labels.
///
/// Classes are class codes (`PredictionClasses`): `0`/`1` for binary models, category indexes
/// for categorical ones (the "other" bin and the unknown-label code are classes of their own).
/// Only classes that occur among the labels or the predictions are listed, ascending.
public struct ConfusionMatrix: Sendable, Equatable {
    /// The classes, ascending.
    public private(set) var classes: [Int32]
    /// `counts[i][j]`: labels of class `classes[i]` predicted as `classes[j]`.
    public private(set) var counts: [[Int]]

    /// The matrix of paired label and predicted classes (read up to the shorter array).
    /// - Parameters:
    ///   - labels: Label class per scored prediction.
    ///   - predicted: Predicted class per scored prediction.
    public init(labels: [Int32], predicted: [Int32]) {
        let n = min(labels.count, predicted.count)
        classes = Array(Set(labels.prefix(n)).union(predicted.prefix(n))).sorted()
        var index: [Int32: Int] = [:]
        for (i, c) in classes.enumerated() { index[c] = i }
        counts = Array(repeating: Array(repeating: 0, count: classes.count), count: classes.count)
        for k in 0..<n {
            if let i = index[labels[k]], let j = index[predicted[k]] { counts[i][j] += 1 }
        }
    }

    /// Pairs counted.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    /// Pairs whose predicted class is the label's.
    public var correct: Int { classes.indices.reduce(0) { $0 + counts[$1][$1] } }

    /// Count of labels of class `label` predicted as `predicted` (0 for absent classes).
    /// - Parameters:
    ///   - label: Label class.
    ///   - predicted: Predicted class.
    /// - Returns: The count.
    public func count(label: Int32, predicted: Int32) -> Int {
        guard let i = classes.firstIndex(of: label), let j = classes.firstIndex(of: predicted) else { return 0 }
        return counts[i][j]
    }

    /// Binary counts with class 1 positive: true and false positives, true and false negatives.
    public var binary: (tp: Int, fp: Int, tn: Int, fn: Int) {
        (
            count(label: 1, predicted: 1), count(label: 0, predicted: 1), count(label: 0, predicted: 0),
            count(label: 1, predicted: 0)
        )
    }

    /// Per class (in `classes` order): correct predictions, predictions of the class, labels of the class.
    public var perClass: [(truePositives: Int, predicted: Int, actual: Int)] {
        classes.indices.map { i in
            (counts[i][i], classes.indices.reduce(0) { $0 + counts[$1][i] }, counts[i].reduce(0, +))
        }
    }
}
