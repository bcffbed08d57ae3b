import DRODSCore

/// An HTTP/1.1 server on libmicrohttpd with a pool of worker threads. It calls the handler on
/// a worker thread once the whole request body has arrived, so a handler may block, but it
/// holds that worker while it runs.
///
/// The server listens from `init` until `stop()` or deinitialization.
public final class HTTPServer: Sendable {
    /// The type of a request handler. A thrown error becomes a 500 `INTERNAL_ERROR`.
    public typealias Handler = @Sendable (HTTPRequest) throws -> HTTPResponse

    public let configuration: HTTPServerConfiguration
    /// The port the server listens on, also when the configuration asked for port 0.
    public let port: Int
    private let daemon: MHDDaemon
    private let logger: Logger

    /// Starts listening. Throws `HTTPServerError` when a setting is invalid, TLS is requested
    /// but unsupported, or the address cannot be bound. When `metrics` is given, each response
    /// counts in `drods_http_requests_total{method,status}` and
    /// `drods_http_request_duration_seconds{method}`.
    public init(configuration: HTTPServerConfiguration, logger: Logger,
                metrics: MetricsRegistry? = nil, handler: @escaping Handler) throws {
        try configuration.validate()
        let dispatcher = RequestDispatcher(maxBodyBytes: configuration.maxBodyBytes,
                                           logger: logger, metrics: metrics, handler: handler)
        daemon = try MHDDaemon(configuration: configuration, dispatcher: dispatcher)
        port = daemon.port
        self.configuration = configuration
        self.logger = logger
        logger.info("HTTP server listening", [
            .address: configuration.host, .port: String(port),
            "tls": String(configuration.usesTLS),
            "threads": String(configuration.threadPoolSize),
        ])
    }

    /// Stops accepting connections, waits up to `shutdownGraceSeconds` for requests in
    /// progress, then closes every connection. Calling it again does nothing.
    /// Blocks the calling thread, so call it from a thread, not from an async task.
    public func stop() {
        if daemon.stop(graceSeconds: configuration.shutdownGraceSeconds) {
            logger.info("HTTP server stopped", [.port: String(port)])
        }
    }
}
