import DRODSCore
import DRODSEventStore
import DRODSMessaging
import Foundation

/// Stores the gateway's audit records from `drods.audit` in `audit_log`. The request id is
/// the key, so a redelivered record is stored once.
public enum AuditRecorder {
    public static func store(_ message: KafkaMessage, pool: ConnectionPool) throws {
        let undecodable = try store([message], pool: pool)
        if let first = undecodable.first { throw UndecodableMessageError(reason: first.reason) }
    }

    /// Stores a batch of records with one statement, so one commit, and returns the messages
    /// that are not audit records.
    public static func store(_ messages: [KafkaMessage], pool: ConnectionPool) throws -> [UndecodableMessage] {
        var rows: [Row] = []
        var undecodable: [UndecodableMessage] = []
        for message in messages {
            do {
                let record = try WireJSON.decode(AuditRecord.self, from: message.value)
                // `ISO8601DateFormatter` built a CoreFoundation formatter on every call, a tenth
                // of the history service's CPU time under `drods bench bindings`.
                rows.append(Row(record, time: record.time.formatted(.iso8601)))
            } catch {
                undecodable.append(UndecodableMessage(message: message, reason: "not an audit record: \(error)"))
            }
        }
        guard !rows.isEmpty else { return undecodable }
        let input = String(decoding: try WireJSON.encode(rows), as: UTF8.self)
        _ = try pool.withConnection { connection in
            try connection.query("""
                INSERT INTO audit_log (request_id, occurred_at, actor, role, action, resource,
                                       outcome, status, remote)
                SELECT request_id, occurred_at, actor, role, action, resource, outcome, status, remote
                FROM jsonb_to_recordset($1::jsonb) AS r(request_id text, occurred_at timestamptz, actor text,
                                                       role text, action text, resource text, outcome text,
                                                       status integer, remote text)
                ON CONFLICT (request_id) DO NOTHING
                """, [input])
        }
        return undecodable
    }

    /// One `audit_log` row; the JSON keys are the column names.
    private struct Row: Encodable {
        let requestID: String
        let occurredAt: String
        let actor: String
        let role: String?
        let action: String
        let resource: String
        let outcome: String
        let status: Int
        let remote: String?

        enum CodingKeys: String, CodingKey {
            case requestID = "request_id", occurredAt = "occurred_at", actor, role, action, resource, outcome
            case status, remote
        }

        init(_ record: AuditRecord, time: String) {
            requestID = record.requestID
            occurredAt = time
            actor = record.actor
            role = record.role
            action = record.action
            resource = record.resource
            outcome = record.outcome
            status = record.status
            remote = record.remoteAddress
        }
    }
}
