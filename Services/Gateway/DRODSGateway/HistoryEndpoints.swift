import DRODSAuth
import DRODSCore
import DRODSEventStore
import DRODSHTTP
import Foundation

/// `GET /api/v1/history/schedules`, `GET /api/v1/history/failures` and, for admins,
/// `GET /api/v1/audit`: pages of a history table, oldest first, in a time window.
enum HistoryEndpoints {
    static func register(on router: inout Router, context: GatewayContext) {
        router.get("/api/v1/history/schedules") { request, _ in
            try context.authorize(request, .read)
            // Scheduling tasks are confirmed before their projection (see `BindingEndpoints`).
            _ = try context.readModels.catchUp(BindingEndpoints.projection, requestID: request.requestID)
            return try page(request, table: "schedule_history", column: "entry", pool: context.readModels.pool)
        }
        router.get("/api/v1/history/failures") { request, _ in
            try context.authorize(request, .read)
            return try page(request, table: "failure_history", column: "entry", pool: context.readModels.pool)
        }
        router.get("/api/v1/audit") { request, _ in
            try context.authorize(request, .admin)
            return try auditPage(request, pool: context.readModels.pool)
        }
    }

    /// Table and column names come from the code above, never from the request.
    private static func page(_ request: HTTPRequest, table: String, column: String,
                             pool: ConnectionPool) throws -> HTTPResponse {
        let query = try HistoryQuery.parse(request)
        let rows = try pool.withConnection { connection in
            try connection.query("""
                SELECT seq, \(column)::text FROM \(table)
                WHERE seq > $1
                  AND ($2::timestamptz IS NULL OR occurred_at >= $2::timestamptz)
                  AND ($3::timestamptz IS NULL OR occurred_at < $3::timestamptz)
                ORDER BY seq LIMIT $4
                """, [String(query.afterSeq), HistoryQuery.format(query.start), HistoryQuery.format(query.end),
                      String(query.limit + 1)]).rows
        }
        let entries = try rows.prefix(query.limit).map { try ReadModels.decode($0[1]) }
        var body: [String: JSONValue] = ["entries": .array(entries), "count": .number(Double(entries.count))]
        if rows.count > query.limit, let last = rows[query.limit - 1][0].flatMap(Int64.init) {
            body["nextCursor"] = .string(HistoryQuery.cursor(after: last))
        }
        return .json(200, JSONValue.object(body))
    }

    /// Audit records have no sequence number; they page by time and request id.
    private static func auditPage(_ request: HTTPRequest, pool: ConnectionPool) throws -> HTTPResponse {
        let query = try HistoryQuery.parse(request)
        let rows = try pool.withConnection { connection in
            try connection.query("""
                SELECT row_number() OVER (ORDER BY occurred_at, request_id) AS position,
                       json_build_object('requestId', request_id, 'time', occurred_at, 'actor', actor,
                                         'role', role, 'action', action, 'resource', resource,
                                         'outcome', outcome, 'status', status)::text
                FROM audit_log
                WHERE ($1::timestamptz IS NULL OR occurred_at >= $1::timestamptz)
                  AND ($2::timestamptz IS NULL OR occurred_at < $2::timestamptz)
                ORDER BY occurred_at, request_id OFFSET $3 LIMIT $4
                """, [HistoryQuery.format(query.start), HistoryQuery.format(query.end), String(query.afterSeq),
                      String(query.limit + 1)]).rows
        }
        let entries = try rows.prefix(query.limit).map { try ReadModels.decode($0[1]) }
        var body: [String: JSONValue] = ["entries": .array(entries), "count": .number(Double(entries.count))]
        if rows.count > query.limit {
            body["nextCursor"] = .string(HistoryQuery.cursor(after: query.afterSeq + Int64(query.limit)))
        }
        return .json(200, JSONValue.object(body))
    }
}
