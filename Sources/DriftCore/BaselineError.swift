/// Why a baseline cannot be used.
public struct BaselineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code.
    ///
    /// A struct rather than an enum, so a code added later breaks no caller's `switch`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The stable string code.
        public let rawValue: String
        /// A code from its stable string.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let unsupportedFormat = Code(rawValue: "baseline.unsupported_format")
        public static let noFeatures = Code(rawValue: "baseline.no_features")
        public static let duplicateFeature = Code(rawValue: "baseline.duplicate_feature")
        public static let badEdges = Code(rawValue: "baseline.bad_edges")
        public static let badCategories = Code(rawValue: "baseline.bad_categories")
        public static let badCounts = Code(rawValue: "baseline.bad_counts")
    }

    public var code: Code
    /// Feature concerned, when there is one.
    public var feature: String?
    public var message: String

    public init(_ code: Code, feature: String? = nil, _ message: String) {
        self.code = code
        self.feature = feature
        self.message = message
    }

    public var description: String {
        "\(code.rawValue)\(feature.map { " [feature \($0)]" } ?? ""): \(message)"
    }
}

extension Baseline {
    /// Checks the invariants the daemon relies on; returns every problem found.
    public func validationErrors() -> [BaselineError] {
        var errors: [BaselineError] = []
        if format != Baseline.currentFormat {
            errors.append(.init(.unsupportedFormat, "format is '\(format)', expected '\(Baseline.currentFormat)'"))
        }
        if features.isEmpty { errors.append(.init(.noFeatures, "baseline of model '\(model)' has no features")) }
        var seen = Set<String>()
        for profile in features {
            if !seen.insert(profile.name).inserted {
                errors.append(.init(.duplicateFeature, feature: profile.name, "feature listed twice"))
            }
            errors.append(contentsOf: profile.validationErrors())
        }
        if let prediction { errors.append(contentsOf: prediction.validationErrors()) }
        if let reference = performanceReference {
            if reference.format != PerformanceReference.currentFormat {
                errors.append(
                    .init(
                        .unsupportedFormat,
                        "performance_reference format is '\(reference.format)', expected '\(PerformanceReference.currentFormat)'"
                    ))
            }
            let map = reference.calibration
            if map.scores.isEmpty || map.scores.count != map.probabilities.count
                || zip(map.scores, map.scores.dropFirst()).contains(where: { $0 >= $1 })
                || map.probabilities.contains(where: { !($0 >= 0 && $0 <= 1) })
            {
                errors.append(
                    .init(
                        .badCounts,
                        "performance_reference calibration needs ascending scores with one probability in [0, 1] each"))
            }
            if prediction?.type != .numeric {
                errors.append(.init(.badCounts, "performance_reference needs a numeric prediction profile"))
            }
        }
        return errors
    }
}

extension FeatureProfile {
    /// Checks this profile's bins and counts.
    public func validationErrors() -> [BaselineError] {
        var errors: [BaselineError] = []
        switch type {
        case .numeric:
            guard let edges, !edges.isEmpty else {
                return [.init(.badEdges, feature: name, "numeric feature needs at least one edge")]
            }
            if edges.contains(where: { !$0.isFinite }) {
                errors.append(.init(.badEdges, feature: name, "edges must be finite"))
            }
            if zip(edges, edges.dropFirst()).contains(where: { $0 >= $1 }) {
                errors.append(.init(.badEdges, feature: name, "edges must be strictly ascending"))
            }
        case .categorical:
            guard let categories else {
                return [.init(.badCategories, feature: name, "categorical feature needs a categories list")]
            }
            if Set(categories).count != categories.count {
                errors.append(.init(.badCategories, feature: name, "categories must be unique"))
            }
        }
        if counts.count != binCount {
            errors.append(.init(.badCounts, feature: name, "counts has \(counts.count) entries, bins are \(binCount)"))
        }
        if let means = predictionMeans,
            means.count != binCount || means.contains(where: { $0.map { !$0.isFinite } ?? false })
        {
            errors.append(
                .init(
                    .badCounts, feature: name,
                    "prediction_means must have one finite number or null per bin (\(binCount))"))
        }
        if counts.contains(where: { !$0.isFinite || $0 < 0 }) || !missingCount.isFinite || missingCount < 0 {
            errors.append(.init(.badCounts, feature: name, "counts must be finite and non-negative"))
        }
        return errors
    }
}
