import DriftDaemon
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@Suite("Status server")
struct StatusServerTests {
    /// A plain HTTP/1.1 GET over a loopback socket; returns status line and body.
    static func get(port: Int, path: String) throws -> (status: String, body: String) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let request = "GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var response = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            response += buffer[0 ..< n]
        }
        let text = String(decoding: response, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        return (parts.first?.components(separatedBy: "\r\n").first ?? "", parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    @Test("serves /metrics, /healthz and /readyz; shuts down gracefully")
    func endpoints() async throws {
        let metrics = DaemonMetrics()
        metrics.processed(ModelVersion(model: "m", version: "1"), count: 5)
        let health = HealthState()
        let bound = Mutex<Int?>(nil)
        let server = StatusServer(host: "127.0.0.1", port: 0, registry: metrics.registry, health: health,
                                  logger: Logger(label: "test"), onBound: { port in bound.withLock { $0 = port } })
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        let task = Task { try await group.run() }
        var port: Int?
        for _ in 0 ..< 100 where port == nil {
            port = bound.withLock { $0 }
            try await Task.sleep(for: .milliseconds(20))
        }
        let p = try #require(port)
        let scrape = try Self.get(port: p, path: "/metrics")
        #expect(scrape.status.contains("200"))
        #expect(scrape.body.contains(#"driftd_events_processed_total{model="m",version="1"} 5"#))
        #expect(try Self.get(port: p, path: "/healthz").status.contains("200"))
        let notReady = try Self.get(port: p, path: "/readyz")
        #expect(notReady.status.contains("503"))
        health.heartbeat(nowMillis: WallClock.nowMillis())
        health.setReady(true, detail: "consuming")
        #expect(try Self.get(port: p, path: "/readyz").status.contains("200"))
        #expect(try Self.get(port: p, path: "/nope").status.contains("404"))
        await group.triggerGracefulShutdown()
        try await task.value
    }

    @Test("a cancelled service group stops the server (the demo cancels its daemon)")
    func cancellation() async throws {
        let bound = Mutex<Int?>(nil)
        let finished = Mutex(false)
        let server = StatusServer(host: "127.0.0.1", port: 0, registry: DaemonMetrics().registry, health: HealthState(),
                                  logger: Logger(label: "test"), onBound: { port in bound.withLock { $0 = port } })
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        let task = Task {
            try? await group.run()
            finished.withLock { $0 = true }
        }
        for _ in 0 ..< 250 where bound.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(20)) }
        let port = try #require(bound.withLock { $0 })
        task.cancel()
        for _ in 0 ..< 500 where !finished.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
        #expect(finished.withLock { $0 }, "the group did not return within 10 s of cancellation")
        #expect(throws: (any Error).self) { try Self.get(port: port, path: "/healthz") }
    }
}
