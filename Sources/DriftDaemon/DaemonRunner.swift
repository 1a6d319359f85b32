import DriftConfig
import DriftCore
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Runs the daemon's services (status server, pipeline) as one service group that shuts
/// down gracefully on SIGTERM and SIGINT: the pipeline finishes its batch, checkpoints,
/// commits and flushes; then the status server closes.
public struct DaemonRunner: Sendable {
    public let configuration: DaemonConfiguration
    public let logger: Logger
    /// Called after each window evaluation, on the consume thread.
    public var onEvaluation: @Sendable (EvaluationReport) -> Void = { _ in }
    /// Called with the status server's bound port.
    public var onStatusPort: @Sendable (Int) -> Void = { _ in }
    /// Reads the configuration again on SIGHUP; nil leaves SIGHUP to the shell's default (no reload).
    public var reload: (@Sendable () throws -> DaemonConfiguration)?

    public init(configuration: DaemonConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The CloudEvents `source` of this instance: `driftd/<host>`.
    public static func defaultSource() -> String {
        "driftd/\(ProcessInfo.processInfo.hostName)"
    }

    /// Runs until a signal (or `cancel`) stops it.
    public func run() async throws {
        let metrics = DaemonMetrics()
        let health = HealthState()
        let report = LiveReport(models: configuration.models)
        let onEvaluation = self.onEvaluation
        var services: [any Service] = []
        if configuration.http.enabled {
            services.append(
                StatusServer(
                    host: configuration.http.address, port: configuration.http.port, registry: metrics.registry,
                    health: health, report: report, logger: logger, onBound: onStatusPort))
        }
        // Gives back the pages glibc keeps free after a prefetch backlog was consumed (HeapTrimmer).
        services.append(HeapTrimmer(logger: logger))
        // The live report learns the reloaded models' baselines; it draws them once evaluations fit them.
        var load: (@Sendable () throws -> DaemonConfiguration)?
        if let reload {
            load = {
                let next = try reload()
                report.register(models: next.models)
                return next
            }
        }
        let evaluated: @Sendable (EvaluationReport) -> Void = { evaluation in
            metrics.evaluationDetails(evaluation)
            report.record(evaluation)
            onEvaluation(evaluation)
        }
        let alerted: @Sendable (AlertPayload) -> Void = { report.record(alert: $0) }
        // The pipeline, or the scale-out stages (docs/architecture.md; SIGHUP applies alert-policy
        // changes there and rejects others), receives reloads.
        let work: any LoopService & ReloadTarget
        if configuration.scaleOut.mode != .single {
            work = try ScaleOutService(
                configuration: configuration, metrics: metrics, health: health, logger: logger,
                source: Self.defaultSource(), onEvaluation: evaluated, onAlert: alerted)
        } else {
            work = try KafkaPipeline(
                configuration: configuration, metrics: metrics, health: health, logger: logger,
                source: Self.defaultSource(), onEvaluation: evaluated, onAlert: alerted)
        }
        // Started in order, stopped in reverse: the pipeline stops (and commits) first.
        services.append(work)
        if let load {
            services.append(ConfigurationReloader(load: load, pipeline: work, metrics: metrics, logger: logger))
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
