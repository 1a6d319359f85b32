import Foundation

/// A mergeable quantile sketch with a relative-error guarantee (DDSketch, Masson, Rim and Lee,
/// VLDB 2019), for latencies and other non-negative measurements.
///
/// Positive values go to logarithmic buckets: bucket `i` holds values in `(γ^(i-1), γ^i]` with
/// `γ = (1 + α) / (1 - α)`, and reports `2γ^i / (γ + 1)`, which is within relative error `α`
/// of every value in the bucket. So `quantile(q)` is within `α` (relative) of the exact
/// order statistic of rank `⌊q (n - 1)⌋` (0-based; numpy's `method="lower"`), as long as no
/// bucket has been collapsed. Values at or below `minIndexableValue` (including 0) count in a
/// separate zero bucket and are reported as 0. Count, sum, minimum and maximum are exact.
///
/// Memory is bounded: at most `maxBuckets` buckets are kept; beyond that the lowest buckets
/// are collapsed into one (the error bound then holds only for quantiles above the collapsed
/// range). With `α = 0.01`, 2,048 buckets cover values spanning a factor of about 10^17, so
/// latencies in milliseconds never collapse. Merging two sketches of the same `α` gives the
/// sketch of the union of their values.
public struct QuantileSketch: Sendable, Codable, Equatable {
    /// Relative accuracy `α` (0 < α < 1).
    public let relativeAccuracy: Double
    /// Bucket cap.
    public let maxBuckets: Int
    /// Smallest positive value with its own bucket; smaller values count as 0.
    public static let minIndexableValue: Double = 1e-9

    /// Values recorded.
    public private(set) var count: Double = 0
    /// Sum of the values recorded.
    public private(set) var sum: Double = 0
    /// Smallest value recorded (`+inf` when empty).
    public private(set) var min: Double = .infinity
    /// Largest value recorded (`-inf` when empty).
    public private(set) var max: Double = -.infinity
    /// Values at or below `minIndexableValue`.
    public private(set) var zeroCount: Double = 0
    /// Bucket index of `counts[0]`.
    private var offset: Int = 0
    /// Dense counts of buckets `offset ..< offset + counts.count`.
    private var counts: [Double] = []

    private var gamma: Double { (1 + relativeAccuracy) / (1 - relativeAccuracy) }
    private var logGamma: Double { Foundation.log(gamma) }

    /// An empty sketch.
    /// - Parameters:
    ///   - relativeAccuracy: `α`, the relative error of quantiles (default 1 %).
    ///   - maxBuckets: Bucket cap (default 2,048).
    public init(relativeAccuracy: Double = 0.01, maxBuckets: Int = 2048) {
        precondition(relativeAccuracy > 0 && relativeAccuracy < 1, "relative accuracy must lie in (0, 1)")
        self.relativeAccuracy = relativeAccuracy
        self.maxBuckets = Swift.max(16, maxBuckets)
    }

    /// Whether nothing has been recorded.
    public var isEmpty: Bool { count == 0 }

    /// Buckets currently held (memory: 8 bytes each).
    public var bucketCount: Int { counts.count }

    /// Records `value` `weight` times. Negative, NaN and infinite values are ignored (the
    /// decoder rejects them before they get here).
    public mutating func add(_ value: Double, weight: Double = 1) {
        guard value.isFinite, value >= 0, weight > 0 else { return }
        count += weight
        sum += value * weight
        if value < min { min = value }
        if value > max { max = value }
        if value <= Self.minIndexableValue {
            zeroCount += weight
            return
        }
        addToBucket(index(of: value), weight)
    }

    /// Adds every value of `other` (which must have the same relative accuracy).
    public mutating func merge(_ other: QuantileSketch) {
        precondition(other.relativeAccuracy == relativeAccuracy, "sketches of different accuracy")
        guard !other.isEmpty else { return }
        count += other.count
        sum += other.sum
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
        zeroCount += other.zeroCount
        for (i, c) in other.counts.enumerated() where c > 0 { addToBucket(other.offset + i, c) }
    }

    /// The value at quantile `q` (0...1): within `α` of the exact order statistic of rank
    /// `⌊q (count - 1)⌋`; `q = 0` and `q = 1` give the exact minimum and maximum. `nil` when empty.
    public func quantile(_ q: Double) -> Double? {
        guard !isEmpty, q >= 0, q <= 1 else { return nil }
        if q == 0 { return min }
        if q == 1 { return max }
        let rank = (q * (count - 1)).rounded(.down)
        if rank < zeroCount { return 0 }
        var seen = zeroCount
        for (i, c) in counts.enumerated() where c > 0 {
            seen += c
            if seen > rank {
                let v = 2 * Foundation.pow(gamma, Double(offset + i)) / (gamma + 1)
                return Swift.min(Swift.max(v, min), max)
            }
        }
        return max
    }

    /// Mean of the values recorded, `nil` when empty.
    public var mean: Double? { isEmpty ? nil : sum / count }

    // MARK: - Coding

    enum CodingKeys: String, CodingKey {
        case relativeAccuracy, maxBuckets, count, sum, min, max, zeroCount, offset, counts
    }

    /// Decodes a sketch; `min` and `max` are absent for an empty sketch (JSON has no infinity).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            relativeAccuracy: try c.decode(Double.self, forKey: .relativeAccuracy),
            maxBuckets: try c.decode(Int.self, forKey: .maxBuckets))
        count = try c.decode(Double.self, forKey: .count)
        sum = try c.decode(Double.self, forKey: .sum)
        min = try c.decodeIfPresent(Double.self, forKey: .min) ?? .infinity
        max = try c.decodeIfPresent(Double.self, forKey: .max) ?? -.infinity
        zeroCount = try c.decode(Double.self, forKey: .zeroCount)
        offset = try c.decode(Int.self, forKey: .offset)
        counts = try c.decode([Double].self, forKey: .counts)
    }

    /// Encodes the sketch (`min` and `max` left out while it is empty).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(relativeAccuracy, forKey: .relativeAccuracy)
        try c.encode(maxBuckets, forKey: .maxBuckets)
        try c.encode(count, forKey: .count)
        try c.encode(sum, forKey: .sum)
        if !isEmpty {
            try c.encode(min, forKey: .min)
            try c.encode(max, forKey: .max)
        }
        try c.encode(zeroCount, forKey: .zeroCount)
        try c.encode(offset, forKey: .offset)
        try c.encode(counts, forKey: .counts)
    }

    // MARK: - Buckets

    private func index(of value: Double) -> Int {
        Int((Foundation.log(value) / logGamma).rounded(.up))
    }

    private mutating func addToBucket(_ key: Int, _ weight: Double) {
        if counts.isEmpty {
            offset = key
            counts = [weight]
            return
        }
        var key = key
        if key < offset {
            let span = offset + counts.count - key
            if span > maxBuckets {
                // Grow down only as far as the cap allows; lower values join the lowest bucket.
                let room = maxBuckets - counts.count
                if room > 0 {
                    counts.insert(contentsOf: [Double](repeating: 0, count: room), at: 0)
                    offset -= room
                }
                key = offset
            } else {
                counts.insert(contentsOf: [Double](repeating: 0, count: offset - key), at: 0)
                offset = key
            }
        } else if key >= offset + counts.count {
            let newCount = key - offset + 1
            if newCount > maxBuckets {
                // Collapse the lowest buckets so the new high bucket fits.
                let drop = newCount - maxBuckets
                let collapsed = counts.prefix(Swift.min(drop + 1, counts.count)).reduce(0, +)
                counts.removeFirst(Swift.min(drop, counts.count))
                offset += drop
                if counts.isEmpty { counts = [0] }
                counts[0] = collapsed
            }
            counts.append(contentsOf: [Double](repeating: 0, count: key - offset + 1 - counts.count))
        }
        counts[key - offset] += weight
    }
}
