import DRODSCore
import DRODSHTTP
import Foundation

/// Calls one member cluster's Kubernetes API with a bearer token.
struct KubernetesClient: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let baseURL: String
    let token: String
    let timeout: Double
    let client: HTTPClient

    /// Returns the `items` of a list, such as `/api/v1/nodes`.
    func list(_ path: String) throws -> [JSONValue] {
        guard case .array(let items) = try get(path)["items"] ?? .null else {
            throw Failure(description: "GET \(path) returned no items list")
        }
        return items
    }

    /// Returns the document at `path`, or nil for 404, so that optional endpoints can be probed.
    func optional(_ path: String) throws -> JSONValue? {
        do {
            return try get(path)
        } catch let failure as Failure where failure.description.contains("HTTP 404") {
            return nil
        }
    }

    /// Sends `body` with `method` and returns the status and the decoded response body (null
    /// when it is not JSON). Error statuses are returned, not thrown.
    func send(_ method: String, _ path: String, body: JSONValue? = nil) throws -> (status: Int, body: JSONValue) {
        let response = try client.request(method: method, url: baseURL + path, headers: [
            "Authorization": "Bearer \(token)", "Accept": "application/json", "Content-Type": "application/json",
        ], body: try body.map { try WireJSON.encode($0) }, timeout: timeout)
        return (response.status, (try? WireJSON.decode(JSONValue.self, from: response.body)) ?? .null)
    }

    func get(_ path: String) throws -> JSONValue {
        let response = try client.request(url: baseURL + path, headers: [
            "Authorization": "Bearer \(token)", "Accept": "application/json",
        ], timeout: timeout)
        guard response.status == 200 else {
            throw Failure(description: "GET \(path) failed with HTTP \(response.status)")
        }
        return try WireJSON.decode(JSONValue.self, from: response.body)
    }
}
