import CAllocatorStats
import Foundation

/// The process's memory as the kernel and the allocator see it.
public enum ProcessMemory {
    /// Resident set size in bytes (`/proc/self/statm`), or nil where unavailable.
    public static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count >= 2, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Bytes the allocator has handed out and not taken back (glibc `mallinfo2`), or nil where
    /// unavailable.
    public static func heapInUseBytes() -> Int? {
        let bytes = driftd_bench_heap_in_use()
        return bytes >= 0 ? Int(bytes) : nil
    }

    /// Returns freed heap memory to the kernel so resident-size deltas reflect live data.
    public static func trim() {
        driftd_bench_heap_trim()
    }
}
