import DRODSCore
import Foundation

/// One stream's part of a multi-stream append.
public struct StreamAppend: Sendable {
    public var streamID: String
    public var expected: ExpectedVersion
    public var events: [NewEvent]

    public init(streamID: String, expected: ExpectedVersion, events: [NewEvent]) {
        self.streamID = streamID
        self.expected = expected
        self.events = events
    }
}

extension EventStore {
    /// Appends to several distinct streams in one statement, so one transaction and one WAL
    /// flush carry them all. All or nothing: when one stream's version differs from its
    /// expectation, or a concurrent writer wins a race on one of them, nothing is written and
    /// the call returns nil. The caller then retries the streams one by one to learn which.
    ///
    /// Being a single statement, the append is its transaction's first write, which keeps the
    /// log's reading order (see `append(on:to:expected:events:)`).
    /// - Returns: the result of each stream's append, by stream id.
    /// - Throws: `EventStoreError` with `emptyAppend` for a stream without events or repeated
    ///   streams; `PostgresError` for anything else.
    public func append(_ appends: [StreamAppend]) throws -> [String: AppendResult]? {
        guard !appends.isEmpty else { return [:] }
        return try pool.withConnection { try Self.insert(on: $0, appends) }
    }

    /// Appends to several distinct streams inside a transaction the caller opened, so that
    /// other rows (processed commands) commit or roll back together with the events. Like the
    /// single-stream append, it must be the transaction's first write. Returns nil when a
    /// stream's version differs from its expectation; after a lost race the transaction is
    /// aborted, and the caller must roll it back.
    /// - Throws: `EventStoreError` with `notFirstWrite` when another write came first, and as
    ///   `append(_:)` does.
    public static func append(on connection: PQConnection, _ appends: [StreamAppend]) throws -> [String: AppendResult]? {
        guard !appends.isEmpty else { return [:] }
        let firstWrite = try connection.preparedQuery("SELECT pg_current_xact_id_if_assigned() IS NULL")
        guard firstWrite.scalar == "t" else {
            throw EventStoreError(code: .notFirstWrite, streamID: appends[0].streamID, expected: appends[0].expected,
                                  actual: nil, message: "append to \(appends.count) streams is not its transaction's first write")
        }
        return try insert(on: connection, appends)
    }

    /// Writes the statement's single parameter: one JSON array of the streams with their expected
    /// versions and events, written as text so that each event is encoded once.
    static func document(_ appends: [StreamAppend]) throws -> String {
        var text = "["
        for (index, append) in appends.enumerated() {
            let expected: Int
            switch append.expected {
            case .any: expected = -1
            case .noStream: expected = 0
            case .exact(let version): expected = version
            }
            let events = try EventDocument.array(append.events)
            if index > 0 { text += "," }
            text += "{\"stream\":" + JSONString.quote(append.streamID) + ",\"expected\":\(expected),\"events\":" + events + "}"
        }
        return text + "]"
    }

    private static func insert(on connection: PQConnection, _ appends: [StreamAppend]) throws -> [String: AppendResult]? {
        guard Set(appends.map(\.streamID)).count == appends.count, appends.allSatisfy({ !$0.events.isEmpty }) else {
            throw EventStoreError(code: .emptyAppend, streamID: appends[0].streamID, expected: appends[0].expected,
                                  actual: nil, message: "a multi-stream append needs distinct streams, each with events")
        }
        let document = try document(appends)

        let result: QueryResult
        do {
            result = try connection.preparedQuery("""
                WITH input AS (
                    SELECT a->>'stream' AS stream_id, (a->>'expected')::integer AS expected,
                           a->'events' AS events, ord
                    FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(a, ord)
                ), current AS (
                    SELECT i.*, (SELECT coalesce(max(stream_version), 0) FROM event_log l
                                 WHERE l.stream_id = i.stream_id) AS version
                    FROM input i
                ), inserted AS (
                    INSERT INTO event_log (event_id, stream_id, stream_version, type,
                                           schema_version, data, metadata)
                    SELECT (e.doc->>'id')::uuid, c.stream_id, c.version + e.ordinal::integer,
                           e.doc->>'type', (e.doc->>'schemaVersion')::integer,
                           e.doc->'data', e.doc->'metadata'
                    FROM current c, jsonb_array_elements(c.events) WITH ORDINALITY AS e(doc, ordinal)
                    WHERE NOT EXISTS (SELECT 1 FROM current k WHERE k.expected >= 0 AND k.version <> k.expected)
                    ORDER BY c.ord, e.ordinal
                    RETURNING seq, stream_id, stream_version, tx_id
                )
                SELECT stream_id, max(seq), min(seq), max(stream_version), max(tx_id::text),
                       (SELECT pg_notify('\(Self.notificationChannel)', ''))
                FROM inserted GROUP BY stream_id
                """, [document])
        } catch let error as PostgresError
            where error.code == .uniqueViolation && error.constraint == "event_log_stream_version_key" {
            return nil
        }

        var results: [String: AppendResult] = [:]
        for row in result.rows {
            guard let stream = row[0], let lastSeq = row[1].flatMap(Int64.init), let firstSeq = row[2].flatMap(Int64.init),
                  let version = row[3].flatMap(Int.init), let transactionID = row[4].flatMap(UInt64.init) else { continue }
            results[stream] = AppendResult(version: version, firstSeq: firstSeq, lastSeq: lastSeq,
                                           lastPosition: LogPosition(transactionID: transactionID, seq: lastSeq))
        }
        return results.count == appends.count ? results : nil
    }
}
