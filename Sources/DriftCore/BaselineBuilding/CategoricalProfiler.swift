/// Builds the categorical part of a feature profile: categories by frequency, capped.
enum CategoricalProfiler {
    /// Profiles present labels; categories beyond `maxCategories` go to the "other" bin.
    ///
    /// Categories are ordered by descending count, ties by ascending label (byte order), so
    /// the same data always gives the same bin layout.
    static func profile(name: String, labels: [String], missing: Int, maxCategories: Int) -> FeatureProfile {
        var frequency: [String: Int] = [:]
        for label in labels { frequency[label, default: 0] += 1 }
        return profile(name: name, frequency: frequency, missing: missing, maxCategories: maxCategories)
    }

    /// Profiles labels already counted (what typed columns give: one count per distinct label).
    /// - Parameters:
    ///   - name: Feature name.
    ///   - frequency: Rows per distinct present label.
    ///   - missing: Missing rows.
    ///   - maxCategories: Categories kept; the rest go to the "other" bin.
    static func profile(name: String, frequency: [String: Int], missing: Int, maxCategories: Int) -> FeatureProfile {
        let ranked = frequency.sorted { lhs, rhs in
            lhs.value != rhs.value ? lhs.value > rhs.value : Array(lhs.key.utf8).lexicographicallyPrecedes(rhs.key.utf8)
        }
        let kept = ranked.prefix(maxCategories)
        let other = ranked.dropFirst(maxCategories).reduce(0) { $0 + $1.value }
        return FeatureProfile(
            name: name, type: .categorical, categories: kept.map(\.key),
            counts: kept.map { Double($0.value) } + [Double(other)], missingCount: Double(missing))
    }
}
