/// A stable content hash of a baseline, used for its `id` (`<model>@<version>:<8 hex digits>`).
///
/// The hash covers everything a drift verdict depends on (format, model, version, row count
/// and every profile: names, types, edges, categories, counts, missing counts, summaries and
/// samples) and nothing else: `id` and `created_at` are left out, so rebuilding a baseline
/// from the same data gives the same id. It is FNV-1a 64 over a fixed binary encoding
/// (lengths and IEEE-754 bit patterns, little-endian), passed through the SplitMix64
/// finaliser; the id keeps the first 8 of its 16 hex digits.
public enum BaselineFingerprint {
    /// The full 64-bit content hash.
    /// - Parameter baseline: The baseline to hash.
    /// - Returns: The hash; equal content gives equal hashes on every platform.
    public static func hash(of baseline: Baseline) -> UInt64 {
        var hasher = FNV1a()
        hasher.combine(baseline.format)
        hasher.combine(baseline.model)
        hasher.combine(baseline.version)
        hasher.combine(UInt64(truncatingIfNeeded: baseline.rowCount))
        hasher.combine(UInt64(baseline.features.count))
        for profile in baseline.features { hasher.combine(profile) }
        if let prediction = baseline.prediction {
            hasher.combine(UInt64(1))
            hasher.combine(prediction)
        } else {
            hasher.combine(UInt64(0))
        }
        return SplitMix64.mix(hasher.state)
    }

    /// The first 8 lowercase hex digits of `hash(of:)`.
    /// - Parameter baseline: The baseline to hash.
    /// - Returns: e.g. `"1a2b3c4d"`.
    public static func shortHex(of baseline: Baseline) -> String {
        let digits = String(hash(of: baseline) >> 32, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// The identifier a builder gives a baseline: `<model>@<version>:<shortHex>`.
    /// - Parameter baseline: The baseline (its own `id` is ignored).
    /// - Returns: The identifier.
    public static func identifier(of baseline: Baseline) -> String {
        "\(baseline.model)@\(baseline.version):\(shortHex(of: baseline))"
    }

    /// FNV-1a 64 of a string's UTF-8 bytes (used to derive per-feature sample seeds).
    static func fnv1a(_ text: String) -> UInt64 {
        var hasher = FNV1a()
        hasher.combine(text)
        return hasher.state
    }
}

/// FNV-1a, 64-bit, over a length-prefixed little-endian encoding.
private struct FNV1a {
    private(set) var state: UInt64 = 0xCBF2_9CE4_8422_2325

    mutating func combine(byte: UInt8) {
        state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    mutating func combine(_ value: UInt64) {
        var v = value
        for _ in 0..<8 {
            combine(byte: UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
    }

    mutating func combine(_ value: Double) { combine(value.bitPattern) }

    mutating func combine(_ text: String) {
        combine(UInt64(text.utf8.count))
        for byte in text.utf8 { combine(byte: byte) }
    }

    mutating func combine(_ values: [Double]?) {
        guard let values else { return combine(UInt64.max) }
        combine(UInt64(values.count))
        for x in values { combine(x) }
    }

    mutating func combine(_ profile: FeatureProfile) {
        combine(profile.name)
        combine(profile.type.rawValue)
        combine(profile.edges)
        if let categories = profile.categories {
            combine(UInt64(categories.count))
            for c in categories { combine(c) }
        } else {
            combine(UInt64.max)
        }
        combine(profile.counts)
        combine(profile.missingCount)
        if let s = profile.summary {
            combine([s.min, s.max, s.mean, s.std])
        } else {
            combine(nil as [Double]?)
        }
        combine(profile.sample)
    }
}
