import DriftKafka
import Foundation
import Synchronization

/// Checkpoints in one local JSON file (`driftd-state.json`), replaced atomically at every save.
///
/// State is then tied to the disk: after a restart on another machine, or a rebalance that
/// moves partitions to another instance, the new owner does not see it. Use
/// `KafkaCheckpointStore` (`state.topic`) where partitions can move.
public final class FileCheckpointStore: CheckpointStore {
    /// The file's format tag; files of another format are ignored (logged) and replaced.
    public static let currentFormat = "driftd.state/v2"

    /// The file's content.
    struct File: Codable {
        var format: String
        var models: [String: ModelCheckpoint]
        var frontiers: [String: [String: Int64]]
    }

    private let store: StateStore<File>
    /// The file's content as last read or written; nil until the file was first read, so a save
    /// never replaces checkpoints it has not seen.
    private let contents = Mutex<CheckpointSet?>(nil)

    /// A store writing `<directory>/driftd-state.json`.
    /// - Throws: `StateStoreError` when the directory cannot be created.
    public init(directory: String) throws(StateStoreError) {
        self.store = try StateStore<File>(directory: directory)
    }

    public var location: String { store.url.path }

    public func load() throws(StateStoreError) -> CheckpointSet {
        let (file, problem) = store.load()
        if let problem { throw problem }
        guard let file else { return CheckpointSet() }
        guard file.format == Self.currentFormat else {
            throw StateStoreError(
                .unreadable, path: store.url.path,
                "format \(file.format), expected \(Self.currentFormat); starting empty")
        }
        let set = CheckpointSet(models: file.models, frontiers: OffsetMap.decode(file.frontiers))
        contents.withLock { $0 = set }
        return set
    }

    public func save(models: [ModelCheckpoint], frontiers: [TopicPartition: Int64]) throws(StateStoreError) {
        var next: CheckpointSet
        if let current = contents.withLock({ $0 }) {
            next = current
        } else {
            // An unreadable file was moved aside by `load`: start from nothing.
            next = (try? load()) ?? CheckpointSet()
        }
        next.merge(models: models, frontiers: frontiers)
        try store.save(
            File(format: Self.currentFormat, models: next.models, frontiers: OffsetMap.encode(next.frontiers)))
        contents.withLock { $0 = next }
    }
}
