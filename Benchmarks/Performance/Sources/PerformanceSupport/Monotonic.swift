import Dispatch

/// Monotonic nanoseconds, for first-to-last-batch timings.
public enum Monotonic {
    /// Nanoseconds since an arbitrary fixed point.
    public static func nanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}
