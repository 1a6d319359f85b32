/// Adds a column of values to its bin counters: the hot loop of ingestion.
///
/// Numeric values are binned against the column's edges by comparing eight values at a
/// time with every edge and counting (branch-free, SIMD); NaN goes to the missing slot.
/// Counts are kept in four interleaved sub-histograms so runs of equal bins (skewed data)
/// do not serialise on one counter, then folded into the caller's slots.
public struct BinCounter: Sendable {
    /// Ascending edges of a numeric column (empty for categorical).
    public let edges: [Double]
    /// Number of bins (edges + 1 for numeric, categories + 1 for categorical).
    public let binCount: Int
    /// Whether values are already bin indexes (categorical) rather than raw values.
    public let valuesAreBinIndexes: Bool

    /// Creates a counter for one column of `schema`.
    public init(column: ModelSchema.Column) {
        self.edges = column.edges
        self.binCount = column.binCount
        self.valuesAreBinIndexes = column.type == .categorical
    }

    /// Adds `values` into `slots[base ..< base + binCount]` (bins) and `slots[base + binCount]` (missing).
    ///
    /// - Parameters:
    ///   - values: the column; NaN marks a missing value.
    ///   - slots: the model's counter array.
    ///   - base: offset of this column's first slot (see `HistogramLayout`).
    public func accumulate(
        _ values: UnsafeBufferPointer<Double>, into slots: UnsafeMutableBufferPointer<Double>, base: Int
    ) {
        guard !values.isEmpty else { return }
        let width = binCount + 1  // bins + missing
        // Four sub-histograms of Int32 counters; a batch never exceeds Int32.max rows per call.
        var local = [Int32](repeating: 0, count: width * 4)
        local.withUnsafeMutableBufferPointer { sub in
            if valuesAreBinIndexes {
                countIndexes(values, sub: sub, width: width)
            } else {
                edges.withUnsafeBufferPointer { countNumeric(values, edges: $0, sub: sub, width: width) }
            }
        }
        for b in 0..<width {
            let total = Int(local[b]) + Int(local[width + b]) + Int(local[2 * width + b]) + Int(local[3 * width + b])
            slots[base + b] += Double(total)
        }
    }

    // MARK: - Kernels

    @inline(__always)
    private func countIndexes(_ values: UnsafeBufferPointer<Double>, sub: UnsafeMutableBufferPointer<Int32>, width: Int)
    {
        let missing = width - 1
        for i in 0..<values.count {
            let v = values[i]
            // Bin indexes come from the decoder; anything out of range is treated as missing.
            let b = (v >= 0 && v < Double(missing)) ? Int(v) : missing
            sub[(i & 3) * width + b] &+= 1
        }
    }

    @inline(__always)
    private func countNumeric(
        _ values: UnsafeBufferPointer<Double>, edges: UnsafeBufferPointer<Double>,
        sub: UnsafeMutableBufferPointer<Int32>, width: Int
    ) {
        let missing = Int64(width - 1)
        let n = values.count
        let e = edges.count
        var i = 0
        let base = values.baseAddress!
        // Eight values at a time: bin = number of edges <= v, computed as a SIMD sum of masks.
        while i + 8 <= n {
            let v = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Double>.self)
            var bins = SIMD8<Int64>(repeating: 0)
            let one = SIMD8<Int64>(repeating: 1)
            for k in 0..<e {
                let edge = SIMD8<Double>(repeating: edges[k])
                bins &+= one.replacing(with: 0, where: .!(edge .<= v))
            }
            // NaN compares false with every edge; route it to the missing slot.
            bins.replace(with: SIMD8<Int64>(repeating: missing), where: v .!= v)
            for lane in 0..<8 {
                sub[(lane & 3) * width + Int(bins[lane])] &+= 1
            }
            i += 8
        }
        while i < n {
            let v = base[i]
            let b: Int
            if v.isNaN {
                b = Int(missing)
            } else {
                var count = 0
                for k in 0..<e where edges[k] <= v { count += 1 }
                b = count
            }
            sub[(i & 3) * width + b] &+= 1
            i += 1
        }
    }
}
