/// Where each monitored column's counters live in a model's flat counter array.
///
/// Column `c` owns `binCount(c) + 1` consecutive slots: its bins in bin order, then one
/// slot counting missing values. Features come first in schema order, then the prediction.
public struct HistogramLayout: Sendable, Equatable {
    /// First slot of each column.
    public let offsets: [Int]
    /// Bin count of each column (without the missing slot).
    public let binCounts: [Int]
    /// Total number of slots.
    public let slotCount: Int

    /// Lays out the columns of `schema` (features, then the prediction if present).
    public init(schema: ModelSchema) {
        var offsets: [Int] = []
        var bins: [Int] = []
        var next = 0
        for column in schema.allColumns {
            offsets.append(next)
            bins.append(column.binCount)
            next += column.binCount + 1
        }
        self.offsets = offsets
        self.binCounts = bins
        self.slotCount = next
    }

    /// Number of columns.
    public var columnCount: Int { offsets.count }

    /// Slot range of column `c`'s bins (missing slot excluded).
    public func binRange(column c: Int) -> Range<Int> { offsets[c]..<offsets[c] + binCounts[c] }

    /// Slot of column `c`'s missing counter.
    public func missingSlot(column c: Int) -> Int { offsets[c] + binCounts[c] }
}
