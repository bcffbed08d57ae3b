import DRODSCore
import Foundation

/// The append-only event log in PostgreSQL: appends with optimistic concurrency, stream reads
/// and gap-free reads of the whole log.
public final class EventStore: Sendable {
    /// Channel notified by every append when its transaction commits.
    public static let notificationChannel = "drods_event_log"

    public let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    // MARK: - Append

    /// Appends `events` to `streamID` in one transaction of their own: a single statement,
    /// so one round trip to the server.
    @discardableResult
    public func append(to streamID: String, expected: ExpectedVersion,
                       events: [NewEvent]) throws -> AppendResult {
        try pool.withConnection { connection in
            try Self.insert(on: connection, to: streamID, expected: expected, events: events)
        }
    }

    /// Appends inside a transaction the caller opened, so that other rows (a processed
    /// command, a projection) commit or roll back together with the events.
    ///
    /// The append must be the transaction's first write. Readers order the log by the
    /// writing transaction id, which PostgreSQL assigns at a transaction's first write. An
    /// earlier write could give a later event of a stream a smaller id than an earlier one.
    /// Throws `EventStoreError` with `notFirstWrite` when that rule is broken.
    public static func append(on connection: PQConnection, to streamID: String,
                              expected: ExpectedVersion, events: [NewEvent]) throws -> AppendResult {
        let firstWrite = try connection.preparedQuery("SELECT pg_current_xact_id_if_assigned() IS NULL")
        guard firstWrite.scalar == "t" else {
            throw EventStoreError(code: .notFirstWrite, streamID: streamID, expected: expected,
                                  actual: nil,
                                  message: "append to \(streamID) is not its transaction's first write")
        }
        return try insert(on: connection, to: streamID, expected: expected, events: events)
    }

    /// Runs the append statement. Outside a transaction block it is a transaction of its own.
    private static func insert(on connection: PQConnection, to streamID: String,
                               expected: ExpectedVersion, events: [NewEvent]) throws -> AppendResult {
        guard !events.isEmpty else {
            throw EventStoreError(code: .emptyAppend, streamID: streamID, expected: expected,
                                  actual: nil, message: "append to \(streamID) has no events")
        }
        let expectedNumber: Int
        switch expected {
        case .any: expectedNumber = -1
        case .noStream: expectedNumber = 0
        case .exact(let version): expectedNumber = version
        }
        let documents = try EventDocument.array(events)

        let result: QueryResult
        do {
            // One statement reads the stream's version, checks the expectation and inserts.
            // A concurrent writer that wins the race makes the unique (stream_id,
            // stream_version) constraint fail here instead.
            result = try connection.preparedQuery("""
                WITH current AS (
                    SELECT coalesce(max(stream_version), 0) AS version
                    FROM event_log WHERE stream_id = $1
                ), inserted AS (
                    INSERT INTO event_log (event_id, stream_id, stream_version, type,
                                           schema_version, data, metadata)
                    SELECT (e.doc->>'id')::uuid, $1, current.version + e.ordinal::integer,
                           e.doc->>'type', (e.doc->>'schemaVersion')::integer,
                           e.doc->'data', e.doc->'metadata'
                    FROM current, jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(doc, ordinal)
                    WHERE $3::integer < 0 OR current.version = $3::integer
                    RETURNING seq, stream_version, tx_id
                )
                SELECT (SELECT version FROM current), max(seq), min(seq), max(stream_version),
                       max(tx_id::text), pg_notify('\(notificationChannel)', '')
                FROM inserted
                """, [streamID, documents, String(expectedNumber)])
        } catch let error as PostgresError
            where error.code == .uniqueViolation && error.constraint == "event_log_stream_version_key" {
            let actual = try currentVersion(on: connection, streamID: streamID, afterFailure: true)
            throw EventStoreError.wrongVersion(streamID, expected: expected, actual: actual)
        }

        guard let row = result.rows.first, let found = row[0].flatMap(Int.init) else {
            throw PostgresError(code: .unexpectedResult, message: "append returned no row")
        }
        guard let lastSeq = row[1].flatMap(Int64.init), let firstSeq = row[2].flatMap(Int64.init),
              let version = row[3].flatMap(Int.init), let transactionID = row[4].flatMap(UInt64.init)
        else {
            throw EventStoreError.wrongVersion(streamID, expected: expected, actual: found)
        }
        return AppendResult(version: version, firstSeq: firstSeq, lastSeq: lastSeq,
                            lastPosition: LogPosition(transactionID: transactionID, seq: lastSeq))
    }

    /// Version of a stream after a failed statement: the failed transaction is aborted, so
    /// the version is read on a fresh connection of its own.
    private static func currentVersion(on connection: PQConnection, streamID: String,
                                       afterFailure: Bool) throws -> Int {
        let reader = afterFailure ? try PQConnection(url: connection.url) : connection
        defer { if afterFailure { reader.close() } }
        let result = try reader.query(
            "SELECT coalesce(max(stream_version), 0) FROM event_log WHERE stream_id = $1", [streamID])
        return result.scalar.flatMap(Int.init) ?? 0
    }

    // MARK: - Read

    /// Returns the current version of a stream, 0 when it has no events.
    public func version(of streamID: String) throws -> Int {
        try pool.withConnection { try Self.currentVersion(on: $0, streamID: streamID, afterFailure: false) }
    }

    /// Reads a stream's events in version order, starting after `afterVersion`.
    public func readStream(_ streamID: String, afterVersion: Int = 0,
                           limit: Int = 10_000) throws -> [StoredEvent] {
        try pool.withConnection { connection in
            let result = try connection.query("""
                SELECT \(Self.columns) FROM event_log
                WHERE stream_id = $1 AND stream_version > $2
                ORDER BY stream_version LIMIT $3
                """, [streamID, String(afterVersion), String(limit)])
            return try result.rows.map(Self.decode)
        }
    }

    /// Reads up to `limit` events after `position`, in tail order, from transactions that have
    /// all finished. An event of a transaction still running is returned by a later call, never
    /// skipped.
    public func readAll(after position: LogPosition, limit: Int = 1_000) throws -> [StoredEvent] {
        try pool.withConnection { try Self.readAll(on: $0, after: position, limit: limit) }
    }

    ///
    /// With `dataCondition`, a SQL boolean expression over `event_log`'s columns, only the
    /// events for which it is true carry their data, and the others carry `null`. Converting
    /// `data` to text and sending it is most of a read's cost, so a reader that needs the data
    /// of few events should name them.
    public static func readAll(on connection: PQConnection, after position: LogPosition,
                               limit: Int, dataCondition: String? = nil) throws -> [StoredEvent] {
        let selected = dataCondition.map { condition in
            columns.replacingOccurrences(
                of: "data::text AS data_text", with: "CASE WHEN \(condition) THEN data::text ELSE 'null' END AS data_text")
        } ?? columns
        // The horizon is a scalar subquery, computed once, so that it bounds the index scan.
        // Prepared, because every tailer runs it after each notification.
        let result = try connection.preparedQuery("""
            SELECT \(selected) FROM event_log
            WHERE (tx_id, seq) > ($1::text::xid8, $2::bigint)
              AND tx_id < (SELECT pg_snapshot_xmin(pg_current_snapshot()))
            ORDER BY event_log.tx_id, event_log.seq
            LIMIT $3
            """, [String(position.transactionID), String(position.seq), String(limit)])
        return try result.rows.map(decode)
    }

    /// Returns the position of the newest committed event in tail order, of stream `streamID`
    /// when one is given, or nil when there is none.
    public static func newestPosition(of streamID: String? = nil, on connection: PQConnection) throws -> LogPosition? {
        let result: QueryResult
        if let streamID {
            result = try connection.query("""
                SELECT tx_id::text, seq FROM event_log WHERE stream_id = $1
                ORDER BY stream_version DESC LIMIT 1
                """, [streamID])
        } else {
            // Qualified, because a bare `tx_id` in ORDER BY names the output column
            // `tx_id::text`: ids would sort as text (996 after 4588), and without the index.
            result = try connection.query("""
                SELECT tx_id::text, seq FROM event_log
                ORDER BY event_log.tx_id DESC, event_log.seq DESC LIMIT 1
                """)
        }
        guard let row = result.rows.first, let transactionID = row[0].flatMap(UInt64.init),
              let seq = row[1].flatMap(Int64.init) else { return nil }
        return LogPosition(transactionID: transactionID, seq: seq)
    }

    /// Whether events exist that `readAll` cannot return yet because their transaction, or an
    /// older one, is still running. Tailers use it to wait briefly instead of for the next
    /// notification.
    public static func hasEventsBeyondHorizon(on connection: PQConnection) throws -> Bool {
        // The newest transaction id comes from the end of the tail index. A filter on
        // `pg_current_snapshot()` in the WHERE clause would instead scan the whole table,
        // because the planner cannot use a volatile function as an index bound.
        let result = try connection.query("""
            SELECT COALESCE((SELECT tx_id FROM event_log ORDER BY tx_id DESC LIMIT 1)
                            >= pg_snapshot_xmin(pg_current_snapshot()), false)
            """)
        return result.scalar == "t"
    }

    /// Whether the log contains an event after `position`, committed or not yet readable. A
    /// tailer asks this after a read, on the same terms as the read's own position, so that an
    /// event it missed (held back by an older transaction that has committed since, or
    /// committed after the read) makes it read again soon instead of waiting for a
    /// notification it may already have consumed.
    public static func hasEvents(after position: LogPosition, on connection: PQConnection) throws -> Bool {
        // A scalar subquery with the tail order and LIMIT 1 uses the tail index. PostgreSQL 15
        // plans EXISTS over a row comparison as a sequential scan that stops at the first
        // match, and the matches are the newest rows, so every call read the whole log.
        let result = try connection.preparedQuery("""
            SELECT (SELECT seq FROM event_log WHERE (tx_id, seq) > ($1::text::xid8, $2::bigint)
                    ORDER BY tx_id, seq LIMIT 1) IS NOT NULL
            """, [String(position.transactionID), String(position.seq)])
        return result.scalar == "t"
    }

    /// Returns the position of the event with sequence number `seq`, for tailing from a
    /// sequence number a user has, or `nil` if no such event is stored.
    public func position(ofSeq seq: Int64) throws -> LogPosition? {
        try pool.withConnection { connection in
            let result = try connection.query(
                "SELECT tx_id::text, seq FROM event_log WHERE seq = $1", [String(seq)])
            guard let row = result.rows.first, let tx = row[0].flatMap(UInt64.init),
                  let found = row[1].flatMap(Int64.init) else { return nil }
            return LogPosition(transactionID: tx, seq: found)
        }
    }

    // MARK: - Decoding

    /// The columns `decode` reads. Casts get their own output names: an ORDER BY on a bare
    /// name would otherwise sort by the text of `tx_id` ("1000" before "999").
    static let columns = """
        seq, event_id, stream_id, stream_version, type, schema_version, data::text AS data_text, \
        metadata::text AS metadata_text, tx_id::text AS tx_text, \
        to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_text
        """

    static func decode(_ row: [String?]) throws -> StoredEvent {
        guard row.count == 10,
              let seq = row[0].flatMap(Int64.init),
              let id = row[1].flatMap(UUID.init(uuidString:)),
              let streamID = row[2],
              let version = row[3].flatMap(Int.init),
              let type = row[4],
              let schemaVersion = row[5].flatMap(Int.init),
              let data = row[6], let metadata = row[7],
              let tx = row[8].flatMap(UInt64.init),
              let recordedAt = row[9]
        else {
            throw PostgresError(code: .unexpectedResult, message: "event_log row has an unexpected shape")
        }
        return StoredEvent(seq: seq, id: id, streamID: streamID, streamVersion: version, type: type,
                           schemaVersion: schemaVersion, data: data, metadata: metadata,
                           position: LogPosition(transactionID: tx, seq: seq), recordedAt: recordedAt)
    }
}

/// The JSON form of new events inside an append statement's single parameter.
enum EventDocument {
    /// Writes `events` as a JSON array of event documents. Encoding whole documents through
    /// `JSONEncoder` took about a third of the scheduler's CPU time under `drods bench
    /// bindings`. The envelope is written here, and the data is encoded on its own as a
    /// `JSONValue`, so that a `JSONValue` overload of `WireJSON.encode` serves it.
    static func array(_ events: [NewEvent]) throws -> String {
        var text = "["
        for (index, event) in events.enumerated() {
            if index > 0 { text += "," }
            text += "{\"id\":\"" + event.id.uuidString.lowercased() + "\",\"type\":" + JSONString.quote(event.type)
            text += ",\"schemaVersion\":\(event.schemaVersion),\"data\":"
            text += String(decoding: try WireJSON.encode(event.data), as: UTF8.self)
            text += ",\"metadata\":" + String(decoding: try event.metadata.wireJSON(), as: UTF8.self) + "}"
        }
        return text + "]"
    }
}
