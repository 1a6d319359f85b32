/// The canonical text of non-string values used as categories.
///
/// Baselines store categories as strings; inference events may carry the same category as a
/// JSON number or boolean. Decoders and the baseline builder both go through these
/// functions so `3`, `3.0` and `"3"` all meet the category `"3"`.
public enum CategoryLabel {
    /// Largest magnitude below which every integer is exactly representable as a `Double`.
    static let exactIntegerLimit: Double = 9_007_199_254_740_992  // 2^53

    /// `"true"` or `"false"`.
    /// - Parameter value: The boolean.
    /// - Returns: Its category label.
    public static func bool(_ value: Bool) -> String { value ? "true" : "false" }

    /// The canonical decimal form of a number.
    ///
    /// Integral values below 2^53 in magnitude print without a fraction (`3`, `-12`, and `0`
    /// for `-0.0`); other values use Swift's shortest round-trip form (`0.5`, `1e+300`).
    /// - Parameter value: A finite number.
    /// - Returns: Its category label.
    public static func number(_ value: Double) -> String {
        if value.isFinite, value.rounded(.towardZero) == value, abs(value) < exactIntegerLimit {
            return String(Int64(value))
        }
        return "\(value)"
    }
}
