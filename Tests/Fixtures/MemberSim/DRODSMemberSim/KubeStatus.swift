import DRODSCore
import DRODSHTTP

/// A failed Kubernetes API call, sent as a `Status` object (`kind: Status`, `status: Failure`)
/// with the HTTP status in `code`, as kubectl and client libraries expect.
struct KubeStatus: Error, Sendable {
    let code: Int
    /// Machine-readable cause such as `NotFound`, `AlreadyExists` or `Conflict`.
    let reason: String
    let message: String
    /// Name and kind of the object involved, when there is one.
    var details: [String: JSONValue] = [:]

    var response: HTTPResponse {
        var body: [String: JSONValue] = [
            "kind": .string("Status"), "apiVersion": .string("v1"), "metadata": .object([:]),
            "status": .string("Failure"), "message": .string(message), "reason": .string(reason),
            "code": .number(Double(code)),
        ]
        if !details.isEmpty { body["details"] = .object(details) }
        return HTTPResponse.json(code, JSONValue.object(body))
    }

    static func notFound(_ resource: ResourceType, name: String) -> KubeStatus {
        KubeStatus(code: 404, reason: "NotFound", message: "\(resource.qualifiedName) \"\(name)\" not found",
                   details: resource.details(name: name))
    }

    static func alreadyExists(_ resource: ResourceType, name: String) -> KubeStatus {
        KubeStatus(code: 409, reason: "AlreadyExists",
                   message: "\(resource.qualifiedName) \"\(name)\" already exists",
                   details: resource.details(name: name))
    }

    static func conflict(_ resource: ResourceType, name: String, sent: String, current: String) -> KubeStatus {
        KubeStatus(code: 409, reason: "Conflict",
                   message: "cannot update \(resource.qualifiedName) \"\(name)\": resourceVersion \(sent) is stale, "
                       + "the current one is \(current); read the object again and retry",
                   details: resource.details(name: name))
    }

    static func badRequest(_ message: String) -> KubeStatus {
        KubeStatus(code: 400, reason: "BadRequest", message: message)
    }

    static func invalid(_ resource: ResourceType, name: String, _ message: String) -> KubeStatus {
        KubeStatus(code: 422, reason: "Invalid",
                   message: "\(resource.qualifiedName) \"\(name)\" is invalid: \(message)",
                   details: resource.details(name: name))
    }

    static func methodNotAllowed(_ method: String, path: String) -> KubeStatus {
        KubeStatus(code: 405, reason: "MethodNotAllowed",
                   message: "method \(method) is not supported on \(path) by the simulator")
    }

    static let unauthorized = KubeStatus(
        code: 401, reason: "Unauthorized",
        message: "Unauthorized: send the cluster's bearer token in the Authorization header")
}
