import Foundation
import Logging

/// Collects log records in memory so tests can assert on what was logged.
final class LogCollector: @unchecked Sendable {
    // @unchecked Sendable: `records` is only touched under `lock`.

    /// One log record.
    struct Record: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: Logger.Metadata
    }

    private let lock = NSLock()
    private var storage: [Record] = []

    /// A logger writing into this collector at `level` and above.
    func logger(level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: "driftd.kafka.test") { _ in Handler(collector: self) }
        logger.logLevel = level
        return logger
    }

    /// The records so far.
    var records: [Record] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }

    fileprivate func append(_ record: Record) {
        lock.lock()
        storage.append(record)
        lock.unlock()
    }

    private struct Handler: LogHandler {
        let collector: LogCollector
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            collector.append(Record(
                level: event.level,
                message: event.message.description,
                metadata: metadata.merging(event.metadata ?? [:]) { $1 }
            ))
        }
    }
}
