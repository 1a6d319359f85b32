import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import ServiceLifecycle

/// The daemon's HTTP endpoint for Prometheus scrapes, Kubernetes probes and the live drift
/// report (`/report`), as a lifecycle service.
public struct StatusServer: Service {
    /// Address to bind, e.g. `0.0.0.0` in a container.
    public let host: String
    /// Port to bind; 0 picks a free port (reported through `onBound`).
    public let port: Int
    private let registry: PrometheusCollectorRegistry
    private let health: HealthState
    private let report: LiveReport?
    private let logger: Logger
    private let onBound: @Sendable (Int) -> Void

    /// - Parameters:
    ///   - report: what `/report` shows; `nil`: no `/report`.
    ///   - onBound: called with the bound port once listening.
    public init(
        host: String, port: Int, registry: PrometheusCollectorRegistry, health: HealthState, report: LiveReport? = nil,
        logger: Logger, onBound: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.registry = registry
        self.health = health
        self.report = report
        self.logger = logger
        self.onBound = onBound
    }

    /// Binds, serves until graceful shutdown or cancellation, then closes the socket.
    public func run() async throws {
        let registry = self.registry
        let health = self.health
        let report = self.report
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.backlog, value: 64)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.pipeline.addHandler(
                        StatusHTTPHandler(
                            registry: registry, health: health, report: report, clock: { WallClock.now() }))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        let bound = channel.localAddress?.port ?? port
        logger.info("status server listening", metadata: ["address": "\(host):\(bound)"])
        onBound(bound)
        // Graceful shutdown and task cancellation both close the listening channel; waiting on
        // its close future alone would ignore cancellation and hold up a cancelled service group.
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                try? await channel.closeFuture.get()
            } onGracefulShutdown: {
                channel.close(promise: nil)
            }
        } onCancel: {
            channel.close(promise: nil)
        }
    }
}
