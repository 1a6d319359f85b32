#if canImport(Glibc)
    import Glibc
#endif

/// Runs work on one chosen core, for references that must say which core "1 core" was.
///
/// The development host's vCPUs differ in SIMD speed from moment to moment, each on its own
/// (the same single-threaded kernel pinned to one vCPU, then the other, took 4.6-9.7 ms either
/// way; docs/performance.md, "Dispatch"). A one-core reference timed on whichever core the
/// benchmark thread happens to be on is then as much a draw of that core as a measurement.
///
/// Linux only (`sched_getaffinity` / `sched_setaffinity` on the calling thread, looked up with
/// `dlsym` because Swift's Glibc module leaves out the `_GNU_SOURCE` declarations). Elsewhere,
/// or if the calls are refused, the body runs where it is.
public enum CoreAffinity {
    /// The cores the calling thread may run on, ascending (all online cores where affinity is
    /// unknown).
    public static func allowedCores() -> [Int] {
        #if os(Linux)
            if let get = Calls.get {
                var mask = Mask()
                if withUnsafeMutableBytes(of: &mask, { get(0, Mask.size, $0.baseAddress!) }) == 0 {
                    let cores = withUnsafeBytes(of: &mask) { bytes in
                        (0..<Mask.size * 8).filter { bytes[$0 / 8] & UInt8(1 << ($0 % 8)) != 0 }
                    }
                    if !cores.isEmpty { return cores }
                }
            }
        #endif
        return Array(0..<max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
    }

    /// Runs `body` with the calling thread pinned to `core`, then restores the thread's previous
    /// affinity. If the thread cannot be pinned, `body` runs unpinned.
    public static func onCore<T>(_ core: Int, _ body: () throws -> T) rethrows -> T {
        #if os(Linux)
            guard core >= 0, core < Mask.size * 8, let get = Calls.get, let set = Calls.set else { return try body() }
            var previous = Mask()
            guard withUnsafeMutableBytes(of: &previous, { get(0, Mask.size, $0.baseAddress!) }) == 0 else {
                return try body()
            }
            var only = Mask()
            withUnsafeMutableBytes(of: &only) { $0[core / 8] = UInt8(1 << (core % 8)) }
            let pinned = withUnsafeBytes(of: &only) { set(0, Mask.size, $0.baseAddress!) } == 0
            defer { if pinned { _ = withUnsafeBytes(of: &previous) { set(0, Mask.size, $0.baseAddress!) } } }
            return try body()
        #else
            return try body()
        #endif
    }

    #if os(Linux)
        /// glibc's `cpu_set_t`: 1,024 bits.
        private struct Mask {
            static let size = MemoryLayout<Mask>.size
            var bits:
                (
                    UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                    UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
                ) =
                    (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        }

        /// `int sched_getaffinity(pid_t, size_t, cpu_set_t *)` and `sched_setaffinity`, pid 0 being
        /// the calling thread.
        private enum Calls {
            typealias Get = @convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32
            typealias Set = @convention(c) (pid_t, Int, UnsafeRawPointer) -> Int32
            static let get: Get? = dlsym(nil, "sched_getaffinity").map { unsafeBitCast($0, to: Get.self) }
            static let set: Set? = dlsym(nil, "sched_setaffinity").map { unsafeBitCast($0, to: Set.self) }
        }
    #endif
}
