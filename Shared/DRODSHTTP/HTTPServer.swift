import DRODSCore

/// An HTTP/1.1 server on libmicrohttpd with a pool of worker threads. It calls the handler on
/// a worker thread once the whole request body has arrived, so a handler may block, but it
/// occupies that worker, and every other connection the worker serves, while it runs. A deferred
/// handler instead responds through an `HTTPResponder`, possibly from another thread after it
/// returned, and its connection waits suspended without holding a worker.
///
/// The server listens from `init` until `stop()` or deinitialization.
public final class HTTPServer: Sendable {
    /// The type of a request handler. A thrown error becomes a 500 `INTERNAL_ERROR`.
    public typealias Handler = @Sendable (HTTPRequest) throws -> HTTPResponse
    /// The type of a deferred request handler. It must either throw without responding, which
    /// sends a 500 `INTERNAL_ERROR`, or respond exactly once. A connection whose handler never
    /// responds stays open until `stop()`, which then sends 503 `SHUTTING_DOWN` or closes it.
    public typealias DeferredHandler = @Sendable (HTTPRequest, HTTPResponder) throws -> Void

    public let configuration: HTTPServerConfiguration
    /// The port the server listens on, also when the configuration asked for port 0.
    public let port: Int
    private let daemon: MHDDaemon
    private let logger: Logger

    /// Starts listening. Throws `HTTPServerError` when a setting is invalid, TLS is requested
    /// but unsupported, or the address cannot be bound. When `metrics` is given, each response
    /// counts in `drods_http_requests_total{method,status}` and
    /// `drods_http_request_duration_seconds{method}`.
    public convenience init(configuration: HTTPServerConfiguration, logger: Logger,
                            metrics: MetricsRegistry? = nil, handler: @escaping Handler) throws {
        try self.init(configuration: configuration, logger: logger, metrics: metrics,
                      deferredHandler: { request, responder in responder.respond(try handler(request)) })
    }

    /// Starts listening with a deferred handler; otherwise the same as `init(configuration:
    /// logger:metrics:handler:)`.
    public init(configuration: HTTPServerConfiguration, logger: Logger,
                metrics: MetricsRegistry? = nil, deferredHandler handler: @escaping DeferredHandler) throws {
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
