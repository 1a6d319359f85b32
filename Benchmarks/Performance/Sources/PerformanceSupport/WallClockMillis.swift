import Foundation

/// Wall-clock epoch milliseconds (event timestamps, the daemon's future-skew check).
public enum WallClockMillis {
    /// Milliseconds since 1970.
    public static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
