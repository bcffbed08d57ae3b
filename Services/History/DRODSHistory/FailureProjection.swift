import DRODSCore
import DRODSEventStore
import Foundation

/// Projects failure events of the monitor into `failure_history`.
public enum FailureProjection {
    public static let name = "read-model:failures"

    /// Event types on `failure-<cluster>` streams; data carries `cluster`.
    public static let eventTypes: Set<String> = ["ClusterFailureReported", "ClusterFailureResolved"]

    public static func make() -> Projection {
        Projection(name: name) { connection, events in
            for event in events where eventTypes.contains(event.type) {
                let data = try event.decodeData(JSONValue.self)
                guard let cluster = data["cluster"]?.stringValue else { continue }
                let entry = JSONValue.object([
                    "seq": .number(Double(event.seq)), "time": .string(event.recordedAt),
                    "cluster": .string(cluster), "event": .string(event.type), "details": data,
                ])
                try connection.query("""
                    INSERT INTO failure_history (seq, occurred_at, cluster, event_type, entry)
                    VALUES ($1, $2::timestamptz, $3, $4, $5::jsonb) ON CONFLICT (seq) DO NOTHING
                    """, [String(event.seq), event.recordedAt, cluster, event.type,
                          String(decoding: try WireJSON.encode(entry), as: UTF8.self)])
            }
        }
    }
}
