import DRODSCore
import DRODSHTTP

/// HTTP statuses of the API's error codes.
enum APIErrorStatus {
    static func status(for code: String) -> Int {
        switch code {
        case "VALIDATION_FAILED", "INVALID_JSON", "INVALID_YAML", "INVALID_QUERY": return 400
        case "UNAUTHORIZED": return 401
        case "FORBIDDEN": return 403
        case "NOT_FOUND": return 404
        case "METHOD_NOT_ALLOWED": return 405
        case "CONFLICT", "POLICY_CONFLICT": return 409
        case "PAYLOAD_TOO_LARGE": return 413
        case "UNSUPPORTED_MEDIA_TYPE": return 415
        case "RATE_LIMITED": return 429
        case "TIMEOUT": return 504
        case "UNAVAILABLE": return 503
        default:
            if code.hasSuffix("_NOT_FOUND") { return 404 }
            if code.hasSuffix("_ALREADY_EXISTS") { return 409 }
            return 500
        }
    }

    static func response(_ rejection: APIRejection) -> HTTPResponse {
        .error(status: status(for: rejection.code), code: rejection.code, message: rejection.message,
               details: rejection.details)
    }
}
