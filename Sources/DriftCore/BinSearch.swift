/// Maps values to bins fixed by ascending edges.
///
/// Convention (shared with `FeatureProfile`): the bin of `x` is the number of edges `<= x`,
/// so bin 0 is `(-inf, e0)`, bin `i` is `[e(i-1), e(i))` and bin `edges.count` is `[e(last), +inf)`.
/// NaN is "missing" and has no bin.
public enum BinSearch {
    /// Reference scalar implementation (binary search).
    @inlinable
    public static func bin(of x: Double, edges: [Double]) -> Int {
        var lo = 0
        var hi = edges.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if edges[mid] <= x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
