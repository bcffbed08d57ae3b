import DRODSCore
import Foundation

/// Positions of projections (and of the relay) in the log. A projection writes its rows and
/// its new checkpoint in one transaction, so a crash can neither apply an event twice nor
/// skip one.
public enum ProjectionCheckpoints {
    /// Returns the stored position of `name`, or `.start` for a projection that never ran or was reset.
    public static func load(_ name: String, on connection: PQConnection) throws -> LogPosition {
        let result = try connection.query(
            "SELECT tx_id::text, seq FROM projection_checkpoints WHERE name = $1", [name])
        guard let row = result.rows.first, let tx = row[0].flatMap(UInt64.init),
              let seq = row[1].flatMap(Int64.init) else { return .start }
        return LogPosition(transactionID: tx, seq: seq)
    }

    /// Writes `position` for `name`; call inside the transaction that wrote the projection.
    public static func save(_ name: String, position: LogPosition, on connection: PQConnection) throws {
        try connection.query("""
            INSERT INTO projection_checkpoints (name, tx_id, seq, updated_at)
            VALUES ($1, $2::text::xid8, $3, now())
            ON CONFLICT (name) DO UPDATE SET tx_id = excluded.tx_id, seq = excluded.seq,
                                             updated_at = excluded.updated_at
            """, [name, String(position.transactionID), String(position.seq)])
    }

    /// Forgets the position so that the projection is rebuilt from the start of the log. The
    /// caller clears the projection's own rows in the same transaction.
    public static func reset(_ name: String, on connection: PQConnection) throws {
        try connection.query("DELETE FROM projection_checkpoints WHERE name = $1", [name])
    }
}

/// Applies batches of events to a read model with its checkpoint in the same transaction.
public struct Projection: Sendable {
    public let name: String
    /// Writes the rows for `events` on the given connection, inside the open transaction.
    public let apply: @Sendable (PQConnection, [StoredEvent]) throws -> Void

    public init(name: String, apply: @escaping @Sendable (PQConnection, [StoredEvent]) throws -> Void) {
        self.name = name
        self.apply = apply
    }

    /// Follows the log with `tailer` from the stored checkpoint until `stop`.
    public func run(pool: ConnectionPool, tailer: LogTailer, stop: StopSignal) throws {
        let start = try pool.withConnection { try ProjectionCheckpoints.load(name, on: $0) }
        tailer.run(from: start, stop: stop) { batch in
            try pool.withConnection { connection in
                try connection.transaction { transaction in
                    // A read model is derived from the log: a server crash that loses the last
                    // projection commits loses rows and checkpoint together, and the
                    // projection applies those events again. So the commit need not wait for
                    // the WAL flush, which would otherwise cost every append one more flush.
                    try transaction.query("SET LOCAL synchronous_commit = off")
                    try apply(transaction, batch)
                    try ProjectionCheckpoints.save(name, position: batch.last!.position, on: transaction)
                }
            }
            return batch.last!.position
        }
    }
}
