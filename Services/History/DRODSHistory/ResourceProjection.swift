import DRODSCore
import DRODSDomain
import DRODSEventStore
import Foundation

/// Projects resource events into the `resources` table that the gateway reads: one row per
/// existing resource with its current document and version. A cluster's view also carries
/// the status of the monitor's last `ClusterHealthChanged` event for it, kept by name in
/// `cluster_health`.
public enum ResourceProjection {
    /// Checkpoint name. The gateway waits for it to pass a write before it responds.
    public static let name = "read-model:resources"

    /// The monitor's event that sets a cluster's status.
    public static let healthEventType = "ClusterHealthChanged"

    public static func make() -> Projection {
        Projection(name: name) { connection, events in
            for event in events {
                if event.type == healthEventType {
                    try applyHealth(event, on: connection)
                    continue
                }
                guard let (kind, change) = ResourceKind.forEvent(event.type) else { continue }
                let data = try event.decodeData(ResourceEventData.self)
                guard data.kind == kind.name else { continue }
                switch change {
                case .created, .updated:
                    var view = ResourceViews.view(of: data.document, kind: kind)
                    // The controller's documents keep the status of registration; the health
                    // recorded for the name, if any, replaces it.
                    if kind == .cluster, let status = try storedHealth(cluster: data.key, on: connection) {
                        view = ResourceViews.withStatus(view, status)
                    }
                    let document = String(decoding: try WireJSON.encode(data.document), as: UTF8.self)
                    let viewText = String(decoding: try WireJSON.encode(view), as: UTF8.self)
                    try connection.query("""
                        INSERT INTO resources (kind, key, version, document, view, created_at, updated_at)
                        VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6::timestamptz, $6::timestamptz)
                        ON CONFLICT (kind, key) DO UPDATE
                        SET version = excluded.version, document = excluded.document, view = excluded.view,
                            updated_at = excluded.updated_at
                        """, [kind.name, data.key, String(event.streamVersion), document, viewText, event.recordedAt])
                case .deleted:
                    try connection.query("DELETE FROM resources WHERE kind = $1 AND key = $2",
                                         [kind.name, data.key])
                }
            }
        }
    }

    /// Records the status a health event sets and shows it in the cluster's view. The
    /// version and `updated_at` stay as they are, because they count the cluster's own
    /// changes, not its health.
    private static func applyHealth(_ event: StoredEvent, on connection: PQConnection) throws {
        let data = try event.decodeData(JSONValue.self)
        guard let cluster = data["cluster"]?.stringValue, let status = ClusterStatus(healthEvent: data) else { return }
        let statusText = String(decoding: try WireJSON.encode(status.jsonValue()), as: UTF8.self)
        try connection.query("""
            INSERT INTO cluster_health (cluster, status, updated_at) VALUES ($1, $2::jsonb, $3::timestamptz)
            ON CONFLICT (cluster) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at
            """, [cluster, statusText, event.recordedAt])
        try connection.query("""
            UPDATE resources SET view = jsonb_set(view, '{status}', $3::jsonb)
            WHERE kind = $1 AND key = $2
            """, [ResourceKind.cluster.name, cluster, statusText])
    }

    private static func storedHealth(cluster: String, on connection: PQConnection) throws -> JSONValue? {
        let text = try connection.query("SELECT status::text FROM cluster_health WHERE cluster = $1", [cluster]).scalar
        return try text.map { try WireJSON.decode(JSONValue.self, from: Data($0.utf8)) }
    }
}
