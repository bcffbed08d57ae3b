import DRODSCore
import DRODSEventStore
import Foundation

/// Projects binding events into `bindings` (the latest state of each scheduling task) and
/// `schedule_history` (every scheduling event, for the history endpoint).
public enum BindingProjection {
    public static let name = "read-model:bindings"

    /// Event types of the binding streams; data carries `bindingId`, `phase` and the binding
    /// document after the change under `binding`.
    public static let eventTypes: Set<String> = [
        "BindingRequested", "BindingScheduled", "BindingUnschedulable", "BindingRescheduled", "BindingRemoved",
    ]

    public static func make() -> Projection {
        Projection(name: name) { connection, events in
            for event in events where eventTypes.contains(event.type) {
                let data = try event.decodeData(JSONValue.self)
                guard let bindingID = data["bindingId"]?.stringValue, let binding = data["binding"] else { continue }
                let phase = data["phase"]?.stringValue ?? "Unknown"
                let document = String(decoding: try WireJSON.encode(binding), as: UTF8.self)
                // A removed binding keeps its row, with phase Removed, so its status stays readable.
                try connection.query("""
                    INSERT INTO bindings (binding_id, version, phase, document, created_at, updated_at)
                    VALUES ($1, $2, $3, $4::jsonb, $5::timestamptz, $5::timestamptz)
                    ON CONFLICT (binding_id) DO UPDATE
                    SET version = excluded.version, phase = excluded.phase, document = excluded.document,
                        updated_at = excluded.updated_at
                    """, [bindingID, String(event.streamVersion), phase, document, event.recordedAt])
                let entry = JSONValue.object([
                    "seq": .number(Double(event.seq)), "time": .string(event.recordedAt),
                    "bindingId": .string(bindingID), "event": .string(event.type), "phase": .string(phase),
                    "binding": binding,
                ])
                try connection.query("""
                    INSERT INTO schedule_history (seq, occurred_at, binding_id, event_type, entry)
                    VALUES ($1, $2::timestamptz, $3, $4, $5::jsonb) ON CONFLICT (seq) DO NOTHING
                    """, [String(event.seq), event.recordedAt, bindingID, event.type,
                          String(decoding: try WireJSON.encode(entry), as: UTF8.self)])
            }
        }
    }
}
