import DriftConfig
import Foundation
import Logging

/// Sets up swift-log once per process: text lines or JSON objects on standard error.
public enum DaemonLogging {
    /// Bootstraps the logging system (call once, first thing) and returns the root logger.
    public static func bootstrap(_ settings: LoggingSettings, label: String = "driftd") -> Logger {
        let level = Logger.Level(rawValue: settings.level.rawValue) ?? .info
        switch settings.format {
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        case .json:
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
        return Logger(label: label)
    }
}
