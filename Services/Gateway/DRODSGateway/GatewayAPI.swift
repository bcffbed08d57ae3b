import DRODSAuth
import DRODSCore
import DRODSHTTP
import Foundation

/// The public REST API: authenticates every request with its bearer token, then routes it.
/// Requests without a valid token get 401 before any route is looked up, so the API reveals
/// nothing, not even which paths exist, to an unauthenticated client.
public final class GatewayAPI: Sendable {
    private let router: Router
    private let verifier: TokenVerifier
    private let logger: Logger

    public init(router: Router, verifier: TokenVerifier, logger: Logger) {
        self.router = router
        self.verifier = verifier
        self.logger = logger
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        guard let header = request.headers["Authorization"] else {
            return unauthorized(request, AuthenticationError(code: .missingToken,
                                                             message: "the Authorization header is missing"))
        }
        let prefix = "bearer "
        guard header.count > prefix.count, header.lowercased().hasPrefix(prefix) else {
            return unauthorized(request, AuthenticationError(
                code: .malformed, message: "the Authorization header must be \"Bearer <token>\""))
        }
        let token = String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        let claims: TokenClaims
        do {
            claims = try verifier.verify(token, now: Date())
        } catch let error as AuthenticationError {
            return unauthorized(request, error)
        } catch {
            return unauthorized(request, AuthenticationError(code: .malformed, message: "the token is not valid"))
        }

        do {
            return try router.handle(request.withActor(claims))
        } catch {
            logger.error("request failed", [.requestID: request.requestID, .path: request.path,
                                            .error: String(describing: error)])
            return .error(status: 500, code: "INTERNAL_ERROR", message: "the request failed; see the gateway log",
                          details: ["requestId": .string(request.requestID)])
        }
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
    /// Returns the request with the verified token's subject and role as headers for
    /// handlers. Any such headers the client sent are replaced.
    func withActor(_ claims: TokenClaims) -> HTTPRequest {
        var copy = self
        copy.headers["X-DRODS-Actor"] = claims.sub
        copy.headers["X-DRODS-Role"] = claims.role.rawValue
        return copy
    }
}
