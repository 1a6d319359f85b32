import Foundation

/// Persists the daemon's state as one JSON file, replaced atomically (write, fsync, rename, fsync
/// of the directory).
///
/// A crash mid-write leaves the previous snapshot intact. A snapshot that cannot be read
/// (corrupt, or from an incompatible version) is moved aside as `<name>.corrupt-<time>` and
/// the daemon starts empty rather than refusing to start.
public struct StateStore<State: Codable>: Sendable {
    /// The snapshot file.
    public let url: URL

    /// A store writing `<directory>/<fileName>`; the directory is created if missing.
    public init(directory: String, fileName: String = "driftd-state.json") throws(StateStoreError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StateStoreError(.cannotCreateDirectory, path: directory, "\(error)")
        }
        self.url = URL(fileURLWithPath: directory).appendingPathComponent(fileName)
    }

    /// Writes `state` atomically.
    public func save(_ state: State) throws(StateStoreError) {
        let data: Data
        do {
            data = try JSONEncoder().encode(state)
        } catch {
            throw StateStoreError(.encodeFailed, path: url.path, "\(error)")
        }
        let temporary = url.path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw StateStoreError(.writeFailed, path: temporary, "cannot create file")
        }
        guard let handle = FileHandle(forWritingAtPath: temporary) else {
            throw StateStoreError(.writeFailed, path: temporary, "cannot open for fsync")
        }
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw StateStoreError(.writeFailed, path: temporary, "\(error)")
        }
        if rename(temporary, url.path) != 0 {
            throw StateStoreError(.writeFailed, path: url.path, "rename failed: errno \(errno)")
        }
        // The rename is durable only once the directory entry is: without this, power loss can
        // leave the older file behind offsets already committed for the newer one.
        let directory = open(url.deletingLastPathComponent().path, O_RDONLY)
        guard directory >= 0 else {
            throw StateStoreError(.writeFailed, path: url.path, "open directory for fsync: errno \(errno)")
        }
        defer { close(directory) }
        if fsync(directory) != 0 {
            throw StateStoreError(.writeFailed, path: url.path, "fsync directory: errno \(errno)")
        }
    }

    /// Reads the last snapshot: nil when there is none; a corrupt one is moved aside and reported.
    public func load() -> (state: State?, problem: StateStoreError?) {
        guard FileManager.default.fileExists(atPath: url.path) else { return (nil, nil) }
        do {
            let data = try Data(contentsOf: url)
            return (try JSONDecoder().decode(State.self, from: data), nil)
        } catch {
            let aside = url.path + ".corrupt-\(WallClock.nowMillis())"
            try? FileManager.default.moveItem(atPath: url.path, toPath: aside)
            return (nil, StateStoreError(.unreadable, path: url.path, "moved aside to \(aside): \(error)"))
        }
    }
}
