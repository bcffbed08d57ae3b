import DRODSCore
import DRODSEventStore
import Foundation

/// Projects `WorkPlanned` and `WorkRemoved` into `works`: the manifest each member cluster
/// must run per workload, which agents pull through the gateway.
public enum WorkProjection {
    public static let name = "read-model:works"

    public static func make() -> Projection {
        Projection(name: name) { connection, events in
            for event in events where event.type == "WorkPlanned" || event.type == "WorkRemoved" {
                let data = try event.decodeData(JSONValue.self)
                guard let cluster = data["cluster"]?.stringValue, let workload = data["workload"]?.stringValue else {
                    continue
                }
                if event.type == "WorkRemoved" {
                    try connection.query("DELETE FROM works WHERE cluster = $1 AND workload = $2", [cluster, workload])
                    continue
                }
                let manifest = String(decoding: try WireJSON.encode(data["manifest"] ?? .null), as: UTF8.self)
                try connection.query("""
                    INSERT INTO works (cluster, workload, version, manifest, updated_at)
                    VALUES ($1, $2, $3, $4::jsonb, $5::timestamptz)
                    ON CONFLICT (cluster, workload) DO UPDATE
                    SET version = excluded.version, manifest = excluded.manifest, updated_at = excluded.updated_at
                    """, [cluster, workload, String(event.streamVersion), manifest, event.recordedAt])
            }
        }
    }
}
