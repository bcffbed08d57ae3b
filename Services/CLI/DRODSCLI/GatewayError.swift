import DRODSCore

/// A failed call to the gateway. Its description names the cause and the next step.
public struct GatewayError: Error, CustomStringConvertible, Sendable {
    public let description: String
    /// The HTTP status, nil when no response arrived.
    public let status: Int?
    /// The API's error code, such as `CLUSTER_NOT_FOUND`, when the body had one.
    public let code: String?

    public init(description: String, status: Int? = nil, code: String? = nil) {
        self.description = description
        self.status = status
        self.code = code
    }

    /// Returns the error for a gateway that did not respond at `serverURL`.
    public static func unreachable(serverURL: String, reason: String) -> GatewayError {
        GatewayError(description: "cannot reach the gateway at \(serverURL): \(reason)\n"
                     + "Start a control plane with `drods up`, or point DRODS_URL (or --server) "
                     + "at a running gateway.")
    }

    /// Returns the error for an error response: `status` and the API's error body
    /// (`code`, `message`, `details`). `request` names the call, such as `GET /api/v1/clusters`.
    public static func response(status: Int, body: JSONValue, request: String) -> GatewayError {
        let code = body["code"]?.stringValue
        let message = body["message"]?.stringValue ?? "no message"
        var text: String
        switch status {
        case 401:
            text = unauthorizedText(reason: body["details"]?["reason"]?.stringValue, message: message)
        case 403:
            text = "forbidden: \(message)\nThe token's role may not do this: reading needs viewer, "
                + "writing operator or admin. Mint another with `drods token --role operator`."
        case 404:
            text = "not found: \(message)"
        default:
            text = "\(request) failed with \(status)\(code.map { " \($0)" } ?? ""): \(message)"
        }
        if case .array(let errors) = body["details"]?["errors"] ?? .null, !errors.isEmpty {
            // The message repeats the field errors in one line; one line per field reads better.
            text = "\(request) was rejected, \(errors.count) invalid field\(errors.count == 1 ? "" : "s"):"
            for error in errors {
                let field = error["field"]?.stringValue ?? "(document)"
                text += "\n  \(field): \(error["message"]?.stringValue ?? "invalid")"
            }
        }
        return GatewayError(description: text, status: status, code: code)
    }

    private static let tokenHelp = "Source DATA/drods.env from `drods up` (it sets DRODS_TOKEN), pass --token, "
        + "or mint one with `drods token --role operator --secret-file DATA/jwt.secret`."

    private static func unauthorizedText(reason: String?, message: String) -> String {
        switch reason {
        case "missingToken":
            "no token was sent; the gateway requires one.\n" + tokenHelp
        case "expired":
            "the token has expired.\n" + tokenHelp
        default:
            "the gateway rejected the token (\(reason ?? message)).\n" + tokenHelp
        }
    }
}
