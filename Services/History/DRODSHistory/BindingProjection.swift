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
            let relevant = events.filter { eventTypes.contains($0.type) }
            guard !relevant.isEmpty else { return }
            // One statement for the whole batch, with the stored JSON passed through as text:
            // decoding and encoding every binding document here cost more than the inserts.
            try connection.preparedQuery(statement, [input(relevant)])
        }
    }

    /// The batch as one JSON array. `data` is already valid JSON text from the log.
    static func input(_ events: [StoredEvent]) -> String {
        var text = "["
        for (index, event) in events.enumerated() {
            if index > 0 { text += "," }
            text += "{\"seq\":\(event.seq),\"version\":\(event.streamVersion)"
            text += ",\"type\":" + JSONString.quote(event.type)
            text += ",\"recordedAt\":" + JSONString.quote(event.recordedAt)
            text += ",\"data\":" + event.data + "}"
        }
        return text + "]"
    }

    /// Events without a string `bindingId` or without `binding` are skipped. A binding row
    /// takes the latest version of the batch; `created_at` is the time of its first event,
    /// and an existing row keeps its own. A removed binding keeps its row, with phase Removed,
    /// so its status stays readable.
    static let statement = """
        WITH input AS (
            SELECT (e->>'seq')::bigint AS seq, (e->>'version')::integer AS version, e->>'type' AS type,
                   e->>'recordedAt' AS recorded_text, (e->>'recordedAt')::timestamptz AS recorded_at,
                   e->'data'->>'bindingId' AS binding_id,
                   CASE WHEN jsonb_typeof(e->'data'->'phase') = 'string' THEN e->'data'->>'phase'
                        ELSE 'Unknown' END AS phase,
                   e->'data'->'binding' AS binding
            FROM jsonb_array_elements($1::jsonb) AS e
            WHERE jsonb_typeof(e->'data'->'bindingId') = 'string' AND e->'data' ? 'binding'
        ), history AS (
            INSERT INTO schedule_history (seq, occurred_at, binding_id, event_type, entry)
            SELECT seq, recorded_at, binding_id, type,
                   jsonb_build_object('seq', seq, 'time', recorded_text, 'bindingId', binding_id,
                                      'event', type, 'phase', phase, 'binding', binding)
            FROM input
            ON CONFLICT (seq) DO NOTHING
        )
        INSERT INTO bindings (binding_id, version, phase, document, created_at, updated_at)
        SELECT DISTINCT ON (binding_id) binding_id, version, phase, binding,
               min(recorded_at) OVER (PARTITION BY binding_id), recorded_at
        FROM input
        ORDER BY binding_id, version DESC
        ON CONFLICT (binding_id) DO UPDATE
        SET version = excluded.version, phase = excluded.phase, document = excluded.document,
            updated_at = excluded.updated_at
        """
}
