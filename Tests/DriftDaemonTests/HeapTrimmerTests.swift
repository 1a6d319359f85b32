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
        /// RssAnon of this process in KiB (/proc/self/status).
        private static func residentAnonymousKiB() throws -> Int {
            let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
            let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("RssAnon:") })
            return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        }

        @Test("32 MiB freed in the middle of a thread's arena: resident until trimmed, then returned")
        func trimReturnsFreeArenaPages() throws {
            let chunks = 512
            let chunkBytes = 64 * 1024  // below glibc's mmap threshold: served from the arena
            // A thread of its own gets an arena of its own, as librdkafka's broker thread does. Each
            // chunk is followed by a small pinned allocation, so freed chunks neither coalesce into the
            // arena's top (which free() would release by itself) nor with each other.
            nonisolated(unsafe) var pins: [UnsafeMutableRawPointer] = []
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                var buffers: [UnsafeMutableRawPointer] = []
                for _ in 0..<chunks {
                    let buffer = malloc(chunkBytes)!
                    memset(buffer, 0x5A, chunkBytes)
                    buffers.append(buffer)
                    pins.append(malloc(64)!)
                }
                for buffer in buffers { free(buffer) }
                done.signal()
            }
            thread.start()
            done.wait()
            defer { for pin in pins { free(pin) } }

            let before = try Self.residentAnonymousKiB()
            HeapTrimmer.trim()
            let after = try Self.residentAnonymousKiB()
            // 32 MiB were freed; at least half of it must leave the resident set (allowing for the
            // rest of the test process moving meanwhile).
            #expect(before - after >= chunks * chunkBytes / 1024 / 2, "RssAnon \(before) KiB -> \(after) KiB")
        }

        /// glibc's `malloc_trim` does not shrink the top of a thread's arena, and once a large `mmap`ed
        /// block is freed (librdkafka's fetch buffers) `free` shrinks it only above up to 64 MiB; with
        /// the thresholds fixed, free and trim together leave no such memory behind.
        @Test("With fixed thresholds, 20 MiB freed after a large block leave the resident set (free, then trim)")
        func fixedThresholdsReturnArenaTop() throws {
            #expect(AllocatorTrim.configureThresholds())
            let before = try Self.residentAnonymousKiB()
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var peak = 0
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
                }
                peak = (try? Self.residentAnonymousKiB()) ?? 0
                // into the top (or bins, if the arena was used before)
                for buffer in buffers.reversed() { free(buffer) }
                done.signal()
            }
            thread.start()
            done.wait()
            HeapTrimmer.trim()
            let after = try Self.residentAnonymousKiB()
            #expect(peak - before >= 10 * 1024, "the 20 MiB were resident: \(before) -> \(peak) KiB")
            #expect(peak - after >= 10 * 1024, "RssAnon \(peak) KiB at the peak, \(after) KiB after free and trim")
        }
    }
#endif
