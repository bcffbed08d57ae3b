import DRODSCore
import DRODSEventStore
import Foundation

/// Queries of the read models that the history service projects.
///
/// Lists are cached per kind together with the resource projection's checkpoint: a list is
/// served from memory while the checkpoint has not moved. The checkpoint comes from
/// `ProjectionProgress` while its listener runs, and from a primary-key lookup otherwise. A
/// list fetched just after the checkpoint moved may be newer than the position it is cached
/// under, never older, so the cache never serves a list that misses a write the gateway
/// already confirmed.
final class ReadModels: @unchecked Sendable {
    let pool: ConnectionPool
    private let projection: String
    private let progress: ProjectionProgress
    private let lock = NSLock()
    private var lists: [String: (position: String, body: Data)] = [:]

    /// Seconds a read waits for a projection to catch up with the log (`catchUp`).
    private let catchUpTimeout: Double
    private let logger: Logger?

    init(pool: ConnectionPool, projection: String, progress: ProjectionProgress, catchUpTimeout: Double = 3,
         logger: Logger? = nil) {
        self.pool = pool
        self.projection = projection
        self.progress = progress
        self.catchUpTimeout = catchUpTimeout
        self.logger = logger
    }

    /// Waits until projection `name` has applied the newest event of `streamID` (of the whole
    /// log when nil) that is committed when the call starts, so that the read that follows
    /// shows every write confirmed before the request. Returns false when the log has no such
    /// event. Past `catchUpTimeout` seconds it logs a warning and returns true, and the read
    /// serves what the projection has.
    ///
    /// Writes that return before their read model has them (`POST /api/v1/bindings`) rely on
    /// this wait on their read side instead.
    func catchUp(_ name: String, streamID: String? = nil, requestID: String) throws -> Bool {
        // The log's newest committed event by tail order. A transaction still running cannot
        // hold a confirmed write, and the projection reads no event past an older running
        // transaction, so reaching this position means every confirmed write is applied.
        let newest = try pool.withConnection { connection in
            try EventStore.newestPosition(of: streamID, on: connection)
        }
        guard let position = newest else { return false }
        if !progress.wait(for: name, toReach: position, timeout: catchUpTimeout) {
            logger?.warning("read model did not reach the log in time; serving it as it is", [
                .projection: name, .requestID: requestID, "position": position.description,
            ])
        }
        return true
    }

    /// Returns the list response body of `kind`: `{"count": N, "items": [...]}` with each resource's
    /// API view, ordered by key.
    func listBody(kind: ResourceKind) throws -> Data {
        if let reached = progress.current(projection),
           let cached = lock.withLock({ lists[kind.name] }), cached.position == reached.description {
            return cached.body
        }
        return try pool.withConnection { connection in
            let position = try progress.current(projection)?.description ?? connection.query(
                "SELECT tx_id::text || ':' || seq FROM projection_checkpoints WHERE name = $1", [projection]).scalar ?? LogPosition.start.description
            if let cached = lock.withLock({ lists[kind.name] }), cached.position == position {
                return cached.body
            }
            let row = try connection.query("""
                SELECT count(*), coalesce(json_agg(\(Self.viewWithCreationTime) ORDER BY key), '[]'::json)::text
                FROM resources WHERE kind = $1
                """, [kind.name]).rows.first
            let body = Data("{\"count\":\(row?[0] ?? "0"),\"items\":\(row?[1] ?? "[]")}".utf8)
            lock.withLock { lists[kind.name] = (position, body) }
            return body
        }
    }

    /// Returns the API view of one resource, or nil when it does not exist.
    func resource(kind: ResourceKind, key: String) throws -> JSONValue? {
        try pool.withConnection { connection in
            let result = try connection.query(
                "SELECT (\(Self.viewWithCreationTime))::text FROM resources WHERE kind = $1 AND key = $2",
                [kind.name, key])
            guard let row = result.rows.first else { return nil }
            return try Self.decode(row[0])
        }
    }

    /// SQL for a resource's API view with the time its first event was recorded, so that
    /// clients can show its age: `metadata.creationTimestamp` in Kubernetes-style documents,
    /// which the API ignores on input, and `createdAt` in the others. UTC, whole seconds.
    static let viewWithCreationTime = """
        CASE WHEN jsonb_typeof(view -> 'metadata') = 'object'
             THEN jsonb_set(view, '{metadata,creationTimestamp}', to_jsonb(\(creationTime)))
             ELSE view || jsonb_build_object('createdAt', \(creationTime)) END
        """
    private static let creationTime = #"to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"#

    static func decode(_ text: String?) throws -> JSONValue {
        guard let text else { return .null }
        return try WireJSON.decode(JSONValue.self, from: Data(text.utf8))
    }
}
