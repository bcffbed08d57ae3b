import DRODSCore

/// The operations port of a service:
/// - `GET /healthz` returns 200 `{"status":"ok"}` while the process serves requests.
/// - `GET /readyz` returns 200 `{"status":"ready"}` when every readiness check passes, else
///   503 `{"status":"not ready","checks":{name: {"ready": Bool, "message": String}}}`.
/// - `GET /metrics` returns the registry in the Prometheus text format 0.0.4.
///
/// Admin requests are not counted in the registry's HTTP metrics.
public final class AdminServer: Sendable {
    /// Content type of the Prometheus text exposition format.
    public static let metricsContentType = "text/plain; version=0.0.4"

    private let server: HTTPServer

    /// The port the admin server listens on, also when it was started with port 0.
    public var port: Int { server.port }

    /// Starts listening on `host:port` with two worker threads. `readiness` runs on each
    /// `/readyz` request and should return quickly, because a slow check blocks a worker.
    /// Throws `HTTPServerError` when the port cannot be bound.
    public init(port: Int, host: String = "0.0.0.0", metrics: MetricsRegistry, logger: Logger,
                readiness: @escaping @Sendable () -> [String: ReadinessCheck] = { [:] }) throws {
        var router = Router()
        router.get("/healthz") { _, _ in
            HTTPResponse.json(200, ["status": "ok"])
        }
        router.get("/readyz") { _, _ in
            Self.readinessResponse(readiness())
        }
        router.get("/metrics") { _, _ in
            HTTPResponse.text(200, metrics.render(), contentType: Self.metricsContentType)
        }
        let configuration = HTTPServerConfiguration(host: host, port: port, threadPoolSize: 2,
                                                    maxBodyBytes: 0, shutdownGraceSeconds: 1)
        let routes = router
        server = try HTTPServer(configuration: configuration,
                                logger: logger.with([.component: "admin"])) { request in
            try routes.handle(request)
        }
    }

    /// Stops the admin server; see `HTTPServer.stop()`.
    public func stop() {
        server.stop()
    }

    static func readinessResponse(_ checks: [String: ReadinessCheck]) -> HTTPResponse {
        if checks.values.allSatisfy(\.isReady) {
            return HTTPResponse.json(200, ["status": "ready"])
        }
        var rendered: [String: JSONValue] = [:]
        for (name, check) in checks {
            var fields: [String: JSONValue] = ["ready": .bool(check.isReady)]
            if let message = check.message { fields["message"] = .string(message) }
            rendered[name] = .object(fields)
        }
        return HTTPResponse.json(503, JSONValue.object([
            "status": .string("not ready"), "checks": .object(rendered),
        ]))
    }
}
