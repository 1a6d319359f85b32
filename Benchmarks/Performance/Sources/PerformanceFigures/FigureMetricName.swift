/// Names of the three custom metrics every figure benchmark records per iteration.
public enum FigureMetricName {
    /// The figure, in its `Figure.Unit` (an integer).
    public static let figure = "figure"
    /// The reference measured side by side, same unit.
    public static let reference = "reference"
    /// figure / reference, times `ratioScale`.
    public static let ratio = "ratio x1000"
    /// Scale of the recorded ratio (metrics are integers).
    public static let ratioScale = 1000.0
}
