import DRODSCore
import Foundation

/// The Swift side of request handling, free of libmicrohttpd calls: it calls the handler,
/// turns thrown errors into a generic 500, and logs and counts each response.
final class RequestDispatcher: Sendable {
    let maxBodyBytes: Int
    let logger: Logger
    let inFlight = InFlightRequests()
    private let metrics: MetricsRegistry?
    private let handler: HTTPServer.DeferredHandler

    init(maxBodyBytes: Int, logger: Logger, metrics: MetricsRegistry?,
         handler: @escaping HTTPServer.DeferredHandler) {
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
        self.metrics = metrics
        self.handler = handler
    }

    /// Calls the handler, which responds through `responder` now or later. A thrown error, or
    /// a status outside 100...599, becomes a 500 `INTERNAL_ERROR` whose message names only the
    /// request id, and the detail goes to the log.
    func dispatch(_ request: HTTPRequest, responder: HTTPResponder) {
        let logger = self.logger
        let checked = responder.mapping { response in
            guard (100...599).contains(response.status) else {
                logger.error("request handler returned an invalid status", [
                    .requestID: request.requestID, .method: request.method, .path: request.path,
                    .status: String(response.status),
                ])
                return HTTPResponse.internalError(requestID: request.requestID)
            }
            return response
        }
        do {
            try handler(request, checked)
        } catch {
            logger.error("request handler raised an error", [
                .requestID: request.requestID, .method: request.method, .path: request.path,
                .error: String(describing: error),
            ])
            if !checked.respond(HTTPResponse.internalError(requestID: request.requestID)) {
                logger.warning("request handler raised an error after it had responded", [
                    .requestID: request.requestID, .path: request.path,
                ])
            }
        }
    }

    /// Returns the 413 response for a body above `maxBodyBytes`.
    func payloadTooLarge() -> HTTPResponse {
        HTTPResponse.error(
            status: 413, code: "PAYLOAD_TOO_LARGE",
            message: "request body exceeds the limit of \(maxBodyBytes) bytes",
            details: ["maxBytes": .number(Double(maxBodyBytes))])
    }

    /// Logs a response at debug level and counts it in the metrics registry.
    func record(_ request: HTTPRequest, status: Int, startNanoseconds: UInt64) {
        let seconds = MonotonicClock.seconds(since: startNanoseconds)
        logger.debug("request served", [
            .requestID: request.requestID, .method: request.method, .path: request.path,
            .status: String(status), .durationMs: String(format: "%.3f", seconds * 1000),
        ])
        guard let metrics else { return }
        let method = Self.metricMethod(request.method)
        metrics.increment("drods_http_requests_total", help: "HTTP responses sent, by method and status.",
                          labels: ["method": method, "status": String(status)])
        metrics.observe("drods_http_request_duration_seconds",
                        help: "Time from request headers to queued response, in seconds.",
                        labels: ["method": method], value: seconds)
    }

    /// Maps methods outside the standard set to `other`, so that clients cannot grow the
    /// number of metric series without bound.
    private static func metricMethod(_ method: String) -> String {
        switch method {
        case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS": method
        default: "other"
        }
    }
}
