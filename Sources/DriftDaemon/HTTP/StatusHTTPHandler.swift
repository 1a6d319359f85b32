import DriftCore
import NIOCore
import NIOHTTP1
import Prometheus

/// Serves `/metrics` (Prometheus text format), `/healthz` (liveness), `/readyz` (readiness) and,
/// when given a `LiveReport`, `/report` (the models) and `/report/<model>` (HTML drift reports).
final class StatusHTTPHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let registry: PrometheusCollectorRegistry
    private let health: HealthState
    private let clock: @Sendable () -> WallClockTime
    private let report: LiveReport?

    init(
        registry: PrometheusCollectorRegistry, health: HealthState, report: LiveReport? = nil,
        clock: @escaping @Sendable () -> WallClockTime
    ) {
        self.registry = registry
        self.health = health
        self.report = report
        self.clock = clock
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data) else { return }
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        let status: HTTPResponseStatus
        let contentType: String
        var body = context.channel.allocator.buffer(capacity: 256)
        switch (head.method, path) {
        case (.GET, "/metrics"):
            status = .ok
            contentType = "text/plain; version=0.0.4; charset=utf-8"
            body.writeBytes(registry.emitToBuffer())
        case (.GET, "/healthz"), (.GET, "/livez"):
            let verdict = health.liveness(now: clock())
            status = verdict.ok ? .ok : .serviceUnavailable
            contentType = "text/plain; charset=utf-8"
            body.writeString((verdict.ok ? "ok: " : "unhealthy: ") + verdict.detail + "\n")
        case (.GET, "/readyz"):
            let verdict = health.readiness(now: clock())
            status = verdict.ok ? .ok : .serviceUnavailable
            contentType = "text/plain; charset=utf-8"
            body.writeString((verdict.ok ? "ready: " : "not ready: ") + verdict.detail + "\n")
        case (.GET, "/report"), (.GET, "/report/"):
            if let report {
                status = .ok
                contentType = "text/html; charset=utf-8"
                body.writeString(report.indexHTML())
            } else {
                status = .notFound
                contentType = "text/plain; charset=utf-8"
                body.writeString("no report on this server\n")
            }
        case (.GET, let p) where p.hasPrefix("/report/"):
            let segment = p.dropFirst("/report/".count)
            if let report, let model = LiveReport.decode(segment: segment), let html = report.html(model: model) {
                status = .ok
                contentType = "text/html; charset=utf-8"
                body.writeString(html)
            } else {
                status = .notFound
                contentType = "text/plain; charset=utf-8"
                let known = report?.modelNames.joined(separator: ", ") ?? ""
                body.writeString("no such model; monitored: \(known.isEmpty ? "none" : known) (see /report)\n")
            }
        case (.GET, _):
            status = .notFound
            contentType = "text/plain; charset=utf-8"
            body.writeString("not found; try /metrics, /healthz, /readyz or /report\n")
        default:
            status = .methodNotAllowed
            contentType = "text/plain; charset=utf-8"
            body.writeString("method not allowed\n")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        if contentType.hasPrefix("text/html") {
            // The page is self-contained: nothing to load, no script from anywhere else.
            headers.add(
                name: "Content-Security-Policy",
                value: "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:")
            headers.add(name: "Cache-Control", value: "no-store")
        }
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "Connection", value: "close")
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
            promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        // The context may only be used on its event loop: the completion runs there, bound to it.
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
