import DriftConfig
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the configuration on SIGHUP (systemd `ExecReload`, `kill -HUP`): reads the file again
/// and hands a valid result to the pipeline (or the scale-out stages), which applies it between
/// batches. A file with errors is rejected, every error logged, and the running configuration kept.
public struct ConfigurationReloader: Service {
    private let load: @Sendable () throws -> DaemonConfiguration
    private let pipeline: any ReloadTarget
    private let metrics: DaemonMetrics
    private let logger: Logger

    /// - Parameters:
    ///   - load: reads and validates the configuration again (the same file and flags as at start).
    ///   - pipeline: receives the new configuration (`KafkaPipeline` or `ScaleOutService`).
    ///   - metrics: counts reloads by result.
    ///   - logger: logs each reload and every error of a rejected one.
    public init(
        load: @escaping @Sendable () throws -> DaemonConfiguration, pipeline: any ReloadTarget, metrics: DaemonMetrics,
        logger: Logger
    ) {
        self.load = load
        self.pipeline = pipeline
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await withGracefulShutdownHandler {
            for await _ in signals.cancelOnGracefulShutdown() {
                reload()
            }
        } onGracefulShutdown: {
        }
    }

    /// Reads the configuration and hands it to the pipeline, or logs why it was rejected.
    public func reload() {
        logger.notice("SIGHUP: reloading the configuration")
        do {
            let configuration = try load()
            pipeline.requestReload(configuration)
        } catch let errors as InvalidConfiguration {
            metrics.configReload(ok: false)
            logger.error(
                "configuration reload rejected; the running configuration is kept",
                metadata: ["problems": "\(errors.errors.count)"])
            for error in errors.errors { logger.error("  \(error)") }
        } catch {
            metrics.configReload(ok: false)
            logger.error(
                "configuration reload rejected; the running configuration is kept", metadata: ["error": "\(error)"])
        }
    }
}
