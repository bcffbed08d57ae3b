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
        try connection.preparedQuery("""
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
        try Projection.run([self], pool: pool, tailer: tailer, stop: stop)
    }

    /// Follows the log for several projections with one tailer: each batch is read once and
    /// applied to every projection, with their checkpoints, in one transaction. A projection
    /// whose checkpoint is behind the others (one being rebuilt) gets the events it lacks, and
    /// the others skip what they already have.
    public static func run(_ projections: [Projection], pool: ConnectionPool, tailer: LogTailer,
                           stop: StopSignal) throws {
        var positions = try pool.withConnection { connection in
            try projections.map { try ProjectionCheckpoints.load($0.name, on: connection) }
        }
        guard let start = positions.min() else { return }
        tailer.run(from: start, stop: stop) { batch in
            try pool.withConnection { connection in
                try connection.transaction { transaction in
                    // A read model is derived from the log: a server crash that loses the last
                    // projection commits loses rows and checkpoint together, and the
                    // projections apply those events again. So the commit need not wait for
                    // the WAL flush, which would otherwise cost every append one more flush.
                    try transaction.query("SET LOCAL synchronous_commit = off")
                    for (index, projection) in projections.enumerated() {
                        let unseen = batch.filter { $0.position > positions[index] }
                        guard let last = unseen.last else { continue }
                        try projection.apply(transaction, unseen)
                        try ProjectionCheckpoints.save(projection.name, position: last.position,
                                                       on: transaction)
                    }
                    // Delivered at commit, to readers such as `ProjectionProgress.listen`.
                    try transaction.query("NOTIFY \(ProjectionProgress.channel)")
                }
            }
            // Only after the commit: a rolled-back batch is delivered again.
            let last = batch.last!.position
            positions = positions.map { max($0, last) }
            return last
        }
    }
}
