/// Tunables of `BaselineBuilder`; the defaults suit most tabular models.
public struct BaselineBuildOptions: Sendable, Equatable {
    /// Number of quantile bins between the training minimum and maximum (numeric features).
    /// Duplicate quantiles are merged, so a feature may get fewer. Range 1...10,000.
    public var binCount: Int
    /// A column whose present values are all numbers is inferred numeric only when it has
    /// more distinct values than this; otherwise it is categorical (integer codes, flags).
    public var categoricalMaxDistinct: Int
    /// Most categories kept per categorical feature, the most frequent first; the rest are
    /// counted in the "other" bin. At least 1.
    public var maxCategories: Int
    /// Most raw values kept in a numeric feature's `sample`. 0 keeps none.
    public var sampleSize: Int
    /// Seed of the sample selection, so the same data always gives the same baseline.
    public var seed: UInt64

    /// Creates options.
    /// - Parameters:
    ///   - binCount: Quantile bins per numeric feature (default 10).
    ///   - categoricalMaxDistinct: Distinct-value limit for numeric inference (default 20).
    ///   - maxCategories: Category cap per categorical feature (default 1,000).
    ///   - sampleSize: Raw values kept per numeric feature (default 2,000).
    ///   - seed: Seed of the deterministic sample selection.
    public init(
        binCount: Int = 10, categoricalMaxDistinct: Int = 20, maxCategories: Int = 1_000,
        sampleSize: Int = 2_000, seed: UInt64 = 0x5EED_D81F_7D00_0001
    ) {
        self.binCount = binCount
        self.categoricalMaxDistinct = categoricalMaxDistinct
        self.maxCategories = maxCategories
        self.sampleSize = sampleSize
        self.seed = seed
    }

    /// Problems with these options, empty when they are usable.
    public func validationErrors() -> [BaselineBuildError] {
        var errors: [BaselineBuildError] = []
        if !(1...10_000).contains(binCount) {
            errors.append(.init(.invalidOptions, "binCount must be in 1...10000, got \(binCount)"))
        }
        if categoricalMaxDistinct < 0 {
            errors.append(.init(.invalidOptions, "categoricalMaxDistinct must be >= 0, got \(categoricalMaxDistinct)"))
        }
        if maxCategories < 1 {
            errors.append(.init(.invalidOptions, "maxCategories must be >= 1, got \(maxCategories)"))
        }
        if sampleSize < 0 {
            errors.append(.init(.invalidOptions, "sampleSize must be >= 0, got \(sampleSize)"))
        }
        return errors
    }
}
