import Logging
import Synchronization

/// A swift-log handler that keeps messages, for tests.
final class LogRecorder: Sendable {
    private let store = Mutex<[String]>([])

    var messages: [String] { store.withLock { $0 } }

    var logger: Logger {
        Logger(label: "recorder") { _ in Handler(recorder: self) }
    }

    struct Handler: LogHandler {
        let recorder: LogRecorder
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            recorder.store.withLock { $0.append(event.message.description) }
        }
    }
}
