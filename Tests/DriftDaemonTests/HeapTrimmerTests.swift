import DriftDaemon
import DriftKafka
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc

    /// `HeapTrimmer.trim` gives back pages that glibc keeps free in a thread's arena, the memory a
    /// consumed prefetch backlog leaves behind (docs/operations.md, "Soak test").
    @Suite("Heap trimmer", .serialized)
    struct HeapTrimmerTests {
        /// Bytes of the whole pages inside `ranges` (address, length) that are resident (`mincore`).
        /// Measured on the test's own buffers, so other tests running in parallel do not move it.
        private static func residentBytes(_ ranges: [(address: Int, length: Int)]) -> Int {
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            var total = 0
            for range in ranges {
                let low = (range.address + page - 1) / page * page
                let high = (range.address + range.length) / page * page
                guard high > low, let start = UnsafeMutableRawPointer(bitPattern: low) else { continue }
                var residency = [UInt8](repeating: 0, count: (high - low) / page)
                guard mincore(start, high - low, &residency) == 0 else { continue }
                total += residency.reduce(0) { $0 + Int($1 & 1) } * page
            }
            return total
        }

        /// Frees `chunks` chunks of `chunkBytes` in a thread's arena of its own (each followed by a small
        /// pinned allocation, so freed chunks neither coalesce into the arena's top, which free() would
        /// release by itself, nor with each other), trims, and returns the chunks' resident bytes
        /// before and after the trim.
        private static func freeThenTrim(chunks: Int, chunkBytes: Int) -> (before: Int, after: Int) {
            nonisolated(unsafe) var pins: [UnsafeMutableRawPointer] = []
            nonisolated(unsafe) var ranges: [(address: Int, length: Int)] = []
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                var buffers: [UnsafeMutableRawPointer] = []
                for _ in 0..<chunks {
                    let buffer = malloc(chunkBytes)!
                    memset(buffer, 0x5A, chunkBytes)
                    buffers.append(buffer)
                    ranges.append((Int(bitPattern: buffer), chunkBytes))
                    pins.append(malloc(64)!)
                }
                for buffer in buffers { free(buffer) }
                done.signal()
            }
            thread.start()
            done.wait()
            defer { for pin in pins { free(pin) } }
            let before = residentBytes(ranges)
            HeapTrimmer.trim()
            return (before, residentBytes(ranges))
        }

        @Test("32 MiB freed in the middle of a thread's arena: resident until trimmed, then returned")
        func trimReturnsFreeArenaPages() throws {
            let chunks = 512
            let chunkBytes = 64 * 1024  // below glibc's mmap threshold: served from the arena
            let half = chunks * chunkBytes / 2
            // Other tests in this process run daemons whose HeapTrimmer may trim between the free and
            // the first measurement, or reuse the exited thread's arena after the trim: a measurement
            // counts only when the freed chunks were resident before the trim; up to 5 attempts.
            var attempts: [(before: Int, after: Int)] = []
            while attempts.count < 5 {
                let attempt = Self.freeThenTrim(chunks: chunks, chunkBytes: chunkBytes)
                attempts.append(attempt)
                if attempt.before >= half && attempt.before - attempt.after >= half { break }
            }
            let last = attempts[attempts.count - 1]
            // 32 MiB were freed: resident until the trim (at least half of it), then at least half
            // of it returned.
            #expect(last.before >= half, "freed chunks resident before the trim, per attempt: \(attempts)")
            #expect(last.before - last.after >= half, "resident before -> after the trim, per attempt: \(attempts)")
        }

        /// glibc's `malloc_trim` does not shrink the top of a thread's arena, and once a large `mmap`ed
        /// block is freed (librdkafka's fetch buffers) `free` shrinks it only above up to 64 MiB; with
        /// the thresholds fixed, free and trim together leave no such memory behind.
        @Test("With fixed thresholds, 20 MiB freed after a large block leave the resident set (free, then trim)")
        func fixedThresholdsReturnArenaTop() throws {
            #expect(AllocatorTrim.configureThresholds())
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var peak = 0
            nonisolated(unsafe) var ranges: [(address: Int, length: Int)] = []
            let thread = Thread {
                // A large block first, as librdkafka's fetch buffers: with glibc's dynamic thresholds its
                // free would raise the trim threshold to 48 MiB and the 20 MiB below would stay resident.
                let large = malloc(24 << 20)!
                memset(large, 1, 24 << 20)
                free(large)
                var buffers: [UnsafeMutableRawPointer] = []
                for _ in 0..<320 {
                    let buffer = malloc(64 * 1024)!
                    memset(buffer, 0x5A, 64 * 1024)
                    buffers.append(buffer)
                    ranges.append((Int(bitPattern: buffer), 64 * 1024))
                }
                peak = Self.residentBytes(ranges)
                // into the top (or bins, if the arena was used before)
                for buffer in buffers.reversed() { free(buffer) }
                done.signal()
            }
            thread.start()
            done.wait()
            HeapTrimmer.trim()
            let after = Self.residentBytes(ranges)
            #expect(peak >= 10 << 20, "the 20 MiB were resident: \(peak) bytes")
            #expect(peak - after >= 10 << 20, "resident \(peak) bytes at the peak, \(after) after free and trim")
        }
    }
#endif
