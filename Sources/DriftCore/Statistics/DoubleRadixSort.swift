/// LSD radix sort of doubles (4 passes of 16 bits on an order-preserving key), O(n).
///
/// About 5x faster than the comparison sort for the 10^5-10^6 values the raw-sample tests sort.
/// Values must not be NaN (callers validate); -0.0 sorts just before +0.0, which compare equal.
enum DoubleRadixSort {
    /// Below this size the standard library sort is used (the counting passes do not pay off).
    static let threshold = 2_048

    static func sorted(_ values: [Double]) -> [Double] {
        if values.count < threshold { return values.sorted() }
        let n = values.count
        var keys = [UInt64](repeating: 0, count: n)
        for i in 0..<n {
            let bits = values[i].bitPattern
            keys[i] = bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
        }
        var buffer = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 1 << 16)
        for pass in 0..<4 {
            let shift = UInt64(pass * 16)
            for i in counts.indices { counts[i] = 0 }
            for key in keys { counts[Int((key >> shift) & 0xFFFF)] += 1 }
            if counts[Int((keys[0] >> shift) & 0xFFFF)] == n { continue }  // all share this digit
            var total = 0
            for i in counts.indices {
                let c = counts[i]
                counts[i] = total
                total += c
            }
            for key in keys {
                let digit = Int((key >> shift) & 0xFFFF)
                buffer[counts[digit]] = key
                counts[digit] += 1
            }
            swap(&keys, &buffer)
        }
        return keys.map { key in
            Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
        }
    }
}
