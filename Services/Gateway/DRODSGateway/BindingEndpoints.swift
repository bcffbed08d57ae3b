import DRODSCore
import DRODSHTTP
import Foundation

/// Endpoints of scheduling tasks. `POST /api/v1/bindings` records a task with the scheduler
/// and returns `202 Accepted` with its status URL. `GET /api/v1/bindings/{bindingId}/status`
/// returns its state and placement, and `GET /api/v1/bindings` lists them.
///
/// The POST returns once the scheduler has stored the task in the log, without waiting for the
/// read model: the task is durable then, and waiting held a gateway thread for another hop on
/// every submission. The GETs wait instead, until the read model has what the log has.
enum BindingEndpoints {
    static let projection = "read-model:bindings"

    static func register(on router: inout Router, context: GatewayContext) {
        router.post("/api/v1/bindings") { request, _ in
            try context.authorize(request, .write)
            let body = try RequestDocument.decode(request, accepting: [.json, .yaml])
            let reply = try context.dispatcher.send(
                "CreateBinding", payload: .object(["request": body]), to: Topics.commandsScheduler,
                key: request.requestID, request: request)
            guard let bindingID = reply.result?["bindingId"]?.stringValue else {
                throw APIRejection(code: "INTERNAL_ERROR", message: "the scheduler returned no binding id")
            }
            let statusURL = "/api/v1/bindings/\(bindingID)/status"
            var response = HTTPResponse.json(202, JSONValue.object([
                "bindingId": .string(bindingID), "phase": reply.result?["phase"] ?? .string("Pending"),
                "statusUrl": .string(statusURL),
            ]))
            response.headers["Location"] = statusURL
            return response
        }
        router.get("/api/v1/bindings") { request, _ in
            try context.authorize(request, .read)
            _ = try context.readModels.catchUp(projection, requestID: request.requestID)
            let rows = try context.readModels.pool.withConnection { connection in
                try connection.query(Self.statusSelect + " ORDER BY created_at, binding_id LIMIT 1000").rows
            }
            let items = try rows.map { try ReadModels.decode($0[0]) }
            return .json(200, JSONValue.object(["items": .array(items), "count": .number(Double(items.count))]))
        }
        router.get("/api/v1/bindings/{bindingId}/status") { request, parameters in
            try context.authorize(request, .read)
            let bindingID = parameters["bindingId"] ?? ""
            let recorded = try context.readModels.catchUp(projection, streamID: "binding-\(bindingID)",
                                                          requestID: request.requestID)
            var rows: [[String?]] = []
            if recorded {
                rows = try context.readModels.pool.withConnection { connection in
                    try connection.query(Self.statusSelect + " WHERE binding_id = $1", [bindingID]).rows
                }
            }
            guard let row = rows.first else {
                throw APIRejection(code: "BINDING_NOT_FOUND", message: "binding \(bindingID) not found",
                                   details: ["bindingId": .string(bindingID)])
            }
            return .json(200, try Self.withMembers(try ReadModels.decode(row[0]), context: context))
        }
    }

    /// Adds `members` (per cluster of the placement, the replicas its agent last reported
    /// ready) and their sum `readyReplicas` to the status of a workload's binding.
    static func withMembers(_ status: JSONValue, context: GatewayContext) throws -> JSONValue {
        guard case .object(var members) = status, let workload = status["request"]?["workload"],
              let kind = workload["kind"]?.stringValue, let namespace = workload["namespace"]?.stringValue,
              let name = workload["name"]?.stringValue,
              case .object(let placement) = status["placement"] ?? .null, !placement.isEmpty else { return status }
        let rows = try context.readModels.pool.withConnection { connection in
            try connection.query("SELECT cluster, status::text FROM member_status WHERE object_key = $1",
                                 ["\(kind)/\(namespace)/\(name)"]).rows
        }
        var reported: [String: JSONValue] = [:]
        for row in rows { if let cluster = row[0] { reported[cluster] = try ReadModels.decode(row[1]) } }
        var ready = 0
        var perCluster: [String: JSONValue] = [:]
        for (cluster, replicas) in placement {
            let count = Int(reported[cluster]?["readyReplicas"]?.doubleValue ?? 0)
            ready += count
            perCluster[cluster] = .object(["replicas": replicas, "readyReplicas": .number(Double(count))])
        }
        members["members"] = .object(perCluster)
        members["readyReplicas"] = .number(Double(ready))
        return .object(members)
    }

    private static let statusSelect = """
        SELECT (document || jsonb_build_object('phase', phase, 'version', version,
                                               'createdAt', created_at, 'updatedAt', updated_at))::text
        FROM bindings
        """
}
