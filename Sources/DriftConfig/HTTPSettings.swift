/// The metrics and health endpoint (`/metrics`, `/healthz`, `/readyz`).
public struct HTTPSettings: Sendable, Equatable {
    /// Default listen address.
    public static let defaultAddress = "127.0.0.1"
    /// Default listen port.
    public static let defaultPort = 9_464

    /// Whether the HTTP server runs.
    public var enabled: Bool
    /// Address to listen on.
    public var address: String
    /// Port to listen on; 0 picks a free port.
    public var port: Int

    /// Creates HTTP settings.
    /// - Parameters:
    ///   - enabled: Whether to serve (default true).
    ///   - address: Listen address (default 127.0.0.1).
    ///   - port: Listen port (default 9464; 0 for any free port).
    public init(
        enabled: Bool = true, address: String = HTTPSettings.defaultAddress, port: Int = HTTPSettings.defaultPort
    ) {
        self.enabled = enabled
        self.address = address
        self.port = port
    }
}
