/// What River's single-variable detectors are fed for a column: the raw value, the indicator
/// of one categorical bin, or the indicator of a missing value. Written into the stream
/// manifest that `river_baseline.py` reads.
struct RiverInput: Codable, Equatable, Sendable {
    /// How the column becomes one number per event.
    enum Kind: String, Codable, Sendable {
        /// The value as is (numeric columns without missing values).
        case raw
        /// 1 when the column's bin index equals `bin`, else 0.
        case indicator
        /// 1 when the value is missing (NaN), else 0.
        case missing
    }

    /// The transformation.
    var kind: Kind
    /// The bin index for `indicator`.
    var bin: Int?
    /// What the input means, for the report (e.g. `indicator of c == "d"`).
    var note: String
}
