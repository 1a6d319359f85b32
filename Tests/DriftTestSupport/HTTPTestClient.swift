import NIOCore
public import NIOHTTP1
import NIOPosix

/// A one-request HTTP/1.1 client over loopback for the status-server tests, built from NIO's HTTP
/// client handlers.
public enum HTTPTestClient {
    /// What the server answered.
    public struct Response: Sendable {
        /// The response status.
        public let status: HTTPResponseStatus
        /// The response headers.
        public let headers: HTTPHeaders
        /// The body, decoded as UTF-8.
        public let body: String
    }

    /// The server closed the connection before the response ended.
    public struct IncompleteResponse: Error {}

    /// `GET path` from `host:port`, with `Connection: close`.
    public static func get(port: Int, path: String, host: String = "127.0.0.1") async throws -> Response {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
            head.headers.add(name: "Host", value: "localhost")
            head.headers.add(name: "Connection", value: "close")
            // Head and end in one write: the server may answer (and close) as soon as the request is
            // complete, before a second write.
            try await outbound.write(contentsOf: [.head(head), .end(nil)])
            var responseHead: HTTPResponseHead?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let received):
                    responseHead = received
                case .body(var chunk):
                    body.writeBuffer(&chunk)
                case .end:
                    guard let responseHead else { throw IncompleteResponse() }
                    return Response(
                        status: responseHead.status, headers: responseHead.headers,
                        body: String(buffer: body))
                }
            }
            throw IncompleteResponse()
        }
    }
}
