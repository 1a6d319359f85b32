import DriftDaemon
import DriftTestSupport
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@Suite("Status server")
struct StatusServerTests {
    /// `GET path` from the status server on loopback.
    static func get(port: Int, path: String) async throws -> HTTPTestClient.Response {
        try await HTTPTestClient.get(port: port, path: path)
    }

    @Test("serves /metrics, /healthz and /readyz; shuts down gracefully")
    func endpoints() async throws {
        let metrics = DaemonMetrics()
        metrics.processed(ModelVersion(model: "m", version: "1"), count: 5)
        let health = HealthState()
        let bound = Mutex<Int?>(nil)
        let server = StatusServer(
            host: "127.0.0.1", port: 0, registry: metrics.registry, health: health,
            logger: Logger(label: "test"), onBound: { port in bound.withLock { $0 = port } })
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        let task = Task { try await group.run() }
        var port: Int?
        for _ in 0..<100 where port == nil {
            port = bound.withLock { $0 }
            try await Task.sleep(for: .milliseconds(20))
        }
        let p = try #require(port)
        let scrape = try await Self.get(port: p, path: "/metrics")
        #expect(scrape.status.code == 200)
        #expect(scrape.body.contains(#"driftd_events_processed_total{model="m",version="1"} 5"#))
        #expect(try await Self.get(port: p, path: "/healthz").status.code == 200)
        let notReady = try await Self.get(port: p, path: "/readyz")
        #expect(notReady.status.code == 503)
        health.heartbeat(now: WallClock.now())
        health.setReady(true, detail: "consuming")
        #expect(try await Self.get(port: p, path: "/readyz").status.code == 200)
        #expect(try await Self.get(port: p, path: "/nope").status.code == 404)
        await group.triggerGracefulShutdown()
        try await task.value
    }

    @Test("a cancelled service group stops the server (the demo cancels its daemon)")
    func cancellation() async throws {
        let bound = Mutex<Int?>(nil)
        let finished = Mutex(false)
        let server = StatusServer(
            host: "127.0.0.1", port: 0, registry: DaemonMetrics().registry, health: HealthState(),
            logger: Logger(label: "test"), onBound: { port in bound.withLock { $0 = port } })
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        let task = Task {
            try? await group.run()
            finished.withLock { $0 = true }
        }
        for _ in 0..<250 where bound.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(20)) }
        let port = try #require(bound.withLock { $0 })
        task.cancel()
        for _ in 0..<500 where !finished.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
        #expect(finished.withLock { $0 }, "the group did not return within 10 s of cancellation")
        await #expect(throws: (any Error).self) { try await Self.get(port: port, path: "/healthz") }
    }
}
