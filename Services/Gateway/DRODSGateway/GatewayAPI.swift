import DRODSAuth
import DRODSCore
import DRODSHTTP
import Foundation

/// The public REST API: limits each client's request rate, authenticates every request with
/// its bearer token, then routes it, and leaves an audit record of every mutating request.
/// Requests without a valid token get 401 before any route is looked up, so the API reveals
/// nothing, not even which paths exist, to an unauthenticated client.
public final class GatewayAPI: Sendable {
    private let router: Router
    private let verifier: VerifiedTokenCache
    private let rateLimiter: RateLimiter
    private let audit: AuditTrail?
    private let logger: Logger

    init(router: Router, verifier: TokenVerifier, rateLimiter: RateLimiter, audit: AuditTrail?, logger: Logger) {
        self.router = router
        self.verifier = VerifiedTokenCache(verifier: verifier)
        self.rateLimiter = rateLimiter
        self.audit = audit
        self.logger = logger
    }

    /// Handles one request and sends its response through `responder`, possibly after this
    /// call returned (a deferred route responds when its work completes). The audit record is
    /// sent with the final response.
    public func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        let claims: TokenClaims
        switch authenticate(request) {
        case .success(let verified):
            claims = verified
        case .failure(let error):
            let response = unauthorized(request, error)
            audit?.record(request, response: response, actor: nil, role: nil)
            responder.respond(response)
            return
        }

        if let wait = rateLimiter.acquire(claims.sub) {
            var limited = HTTPResponse.error(
                status: 429, code: "RATE_LIMITED",
                message: "more than \(Int(rateLimiter.ratePerSecond)) requests per second; retry later",
                details: ["retryAfterSeconds": .number((wait * 1000).rounded(.up) / 1000)])
            limited.headers["Retry-After"] = String(Int(wait.rounded(.up)))
            audit?.record(request, response: limited, actor: claims.sub, role: claims.role.rawValue)
            responder.respond(limited)
            return
        }
        let audit = self.audit
        let audited = responder.mapping { response in
            audit?.record(request, response: response, actor: claims.sub, role: claims.role.rawValue)
            return response
        }
        route(request.withIdentity(claims), responder: audited)
    }

    private func route(_ request: HTTPRequest, responder: HTTPResponder) {
        do {
            try router.handle(request, responder: responder)
        } catch let rejection as APIRejection {
            if rejection.code == "FORBIDDEN" {
                logger.info("request rejected: not authorized", [
                    .requestID: request.requestID, .method: request.method, .path: request.path,
                    "auth.subject": request.headers[GatewayHeaders.actor] ?? "",
                ])
            }
            responder.respond(APIErrorStatus.response(rejection))
        } catch {
            logger.error("request failed", [.requestID: request.requestID, .path: request.path,
                                            .error: String(describing: error)])
            responder.respond(.error(status: 500, code: "INTERNAL_ERROR",
                                     message: "the request failed; see the gateway log",
                                     details: ["requestId": .string(request.requestID)]))
        }
    }

    private func authenticate(_ request: HTTPRequest) -> Result<TokenClaims, AuthenticationError> {
        guard let header = request.headers["Authorization"] else {
            return .failure(AuthenticationError(code: .missingToken, message: "the Authorization header is missing"))
        }
        let token: String
        if let plain = Self.plainBearerToken(header) {
            token = plain
        } else {
            let prefix = "bearer "
            guard header.count > prefix.count, header.lowercased().hasPrefix(prefix) else {
                return .failure(AuthenticationError(code: .malformed,
                                                    message: "the Authorization header must be \"Bearer <token>\""))
            }
            token = String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        }
        do {
            return .success(try verifier.verify(token, now: Date()))
        } catch let error as AuthenticationError {
            return .failure(error)
        } catch {
            return .failure(AuthenticationError(code: .malformed, message: "the token is not valid"))
        }
    }

    /// Returns the token of `Bearer <token>` (scheme in any case) when the token starts and
    /// ends with an ASCII character other than space and tab, else nil. For such a header the
    /// general path in `authenticate` finds the same token, because nothing is there to trim,
    /// but it costs a lowercased copy, a count of characters and a bridge to `NSString`.
    static func plainBearerToken(_ header: String) -> String? {
        let bytes = header.utf8
        let scheme = "bearer ".utf8
        let schemeMatches = zip(bytes, scheme).allSatisfy { byte, expected in
            // Letters match in either case; the space matches only itself.
            byte == expected || (expected >= 0x61 && expected <= 0x7A && byte == expected - 0x20)
        }
        guard bytes.count > scheme.count, schemeMatches,
              let first = bytes.dropFirst(scheme.count).first, let last = bytes.last,
              first < 0x80, last < 0x80 else { return nil }
        let whitespace: [UInt8] = [0x20, 0x09]
        guard !whitespace.contains(first), !whitespace.contains(last) else { return nil }
        let start = bytes.index(bytes.startIndex, offsetBy: scheme.count)
        return String(header[start...])
    }

    private func unauthorized(_ request: HTTPRequest, _ error: AuthenticationError) -> HTTPResponse {
        logger.info("request rejected: not authenticated", [
            .requestID: request.requestID, .method: request.method, .path: request.path,
            "auth.code": error.code.description, "remote": request.remoteAddress,
        ])
        var response = HTTPResponse.error(status: 401, code: "UNAUTHORIZED", message: error.message,
                                          details: ["reason": .string(error.code.description)])
        response.headers["WWW-Authenticate"] = "Bearer realm=\"drods\""
        return response
    }
}

extension HTTPRequest {
    /// Returns the request with the verified token's subject, role and cluster as headers for
    /// handlers. Any such headers the client sent are replaced or removed.
    func withIdentity(_ claims: TokenClaims) -> HTTPRequest {
        var copy = self
        copy.headers[GatewayHeaders.actor] = claims.sub
        copy.headers[GatewayHeaders.role] = claims.role.rawValue
        copy.headers.remove(GatewayHeaders.cluster)
        if let cluster = claims.cluster { copy.headers[GatewayHeaders.cluster] = cluster }
        return copy
    }
}
