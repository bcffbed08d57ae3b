import DRODSCore
import DRODSEventStore
import DRODSMessaging
import Foundation

/// Stores the gateway's audit records from `drods.audit` in `audit_log`. The request id is
/// the key, so a redelivered record is stored once.
public enum AuditRecorder {
    public static func store(_ message: KafkaMessage, pool: ConnectionPool) throws {
        let record: AuditRecord
        do {
            record = try WireJSON.decode(AuditRecord.self, from: message.value)
        } catch {
            throw UndecodableMessageError(reason: "not an audit record: \(error)")
        }
        _ = try pool.withConnection { connection in
            try connection.query("""
                INSERT INTO audit_log (request_id, occurred_at, actor, role, action, resource,
                                       outcome, status, remote)
                VALUES ($1, $2::timestamptz, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT (request_id) DO NOTHING
                """, [record.requestID, ISO8601DateFormatter().string(from: record.time), record.actor,
                      record.role, record.action, record.resource, record.outcome,
                      String(record.status), record.remoteAddress])
        }
    }
}
