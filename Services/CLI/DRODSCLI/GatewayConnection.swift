import DRODSCore
import DRODSHTTP
import Foundation

/// The gateway a command talks to and the token it sends: `--server` and `--token`, else
/// `DRODS_URL` and `DRODS_TOKEN` from the environment, as `drods.env` of `drods up` sets them.
struct GatewayConnection {
    /// Options every API command accepts.
    static let valueOptions: Set<String> = ["server", "token"]

    let serverURL: String
    private let token: String?
    private let client: HTTPClient

    init(arguments: Arguments, environment: [String: String] = ProcessInfo.processInfo.environment,
         timeout: Double = 30) throws {
        let server = arguments.options["server"] ?? environment["DRODS_URL"] ?? ""
        guard !server.isEmpty else {
            throw UsageError("no gateway address: pass --server URL or set DRODS_URL "
                             + "(`drods up` writes it to DATA/drods.env)")
        }
        serverURL = server.hasSuffix("/") ? String(server.dropLast()) : server
        let configuredToken = arguments.options["token"] ?? environment["DRODS_TOKEN"]
        token = (configuredToken?.isEmpty ?? true) ? nil : configuredToken
        client = HTTPClient(defaultTimeout: timeout)
    }

    /// Sends one request and returns the status and the body as JSON (null when the body is
    /// empty or not JSON). Throws `GatewayError` when no response arrives; error statuses are
    /// returned.
    func send(_ method: String, _ path: String, body: Data? = nil,
              contentType: String = "application/json") throws -> (status: Int, json: JSONValue) {
        var headers = ["Accept": "application/json"]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        if body != nil { headers["Content-Type"] = contentType }
        let response: (status: Int, headers: [String: String], body: Data)
        do {
            response = try client.request(method: method, url: serverURL + path, headers: headers, body: body)
        } catch let error as HTTPClientError where error.code == .invalidURL {
            throw UsageError("invalid gateway address \"\(serverURL)\": expected a URL such as http://127.0.0.1:8080")
        } catch let error as HTTPClientError {
            throw GatewayError.unreachable(serverURL: serverURL, reason: error.message)
        }
        let json = (try? WireJSON.decode(JSONValue.self, from: response.body)) ?? .null
        return (response.status, json)
    }

    /// Sends one request and returns the body; throws `GatewayError` for any status outside 2xx.
    func expectSuccess(_ method: String, _ path: String, body: Data? = nil,
                       contentType: String = "application/json") throws -> JSONValue {
        let response = try send(method, path, body: body, contentType: contentType)
        guard (200..<300).contains(response.status) else {
            throw GatewayError.response(status: response.status, body: response.json, request: "\(method) \(path)")
        }
        return response.json
    }

    /// Reads every entry of a history endpoint from `query` on, following `nextCursor`, up to
    /// `limit` entries.
    func historyEntries(_ path: String, query: [URLQueryItem], limit: Int) throws -> [JSONValue] {
        var entries: [JSONValue] = []
        var cursor: String?
        repeat {
            var components = URLComponents()
            components.queryItems = query + [URLQueryItem(name: "maxEntries", value: String(min(1000, limit - entries.count)))]
                + (cursor.map { [URLQueryItem(name: "cursor", value: $0)] } ?? [])
            let page = try expectSuccess("GET", path + "?" + (components.percentEncodedQuery ?? ""))
            if case .array(let pageEntries) = page["entries"] ?? .null { entries += pageEntries }
            cursor = page["nextCursor"]?.stringValue
        } while cursor != nil && entries.count < limit
        return Array(entries.prefix(limit))
    }
}
