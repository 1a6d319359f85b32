/// A run of synthetic events, one array per feature (see `FeatureDistributions`).
struct SyntheticEvents: Sendable {
    /// `x` values; NaN marks a missing value.
    var x: [Double] = []
    /// `y` values.
    var y: [Double] = []
    /// `c` as an index into `SyntheticModel.categoryLabels`.
    var category: [Int] = []
    /// `f` as an index into `SyntheticModel.binaryLabels`.
    var binary: [Int] = []

    /// Number of events.
    var count: Int { x.count }

    /// Empty, with room for `capacity` events.
    init(capacity: Int) {
        x.reserveCapacity(capacity)
        y.reserveCapacity(capacity)
        category.reserveCapacity(capacity)
        binary.reserveCapacity(capacity)
    }
}
