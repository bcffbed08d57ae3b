import DRODSCore
import DRODSEventStore
import Foundation

/// Projects `ClusterStatusSynced` into `member_status`: the last status each cluster reported
/// per object, keyed `Kind/namespace/name` like workloads, so that a binding's status can show
/// how many of its replicas run in each cluster.
public enum MemberStatusProjection {
    public static let name = "read-model:member-status"

    public static func make() -> Projection {
        Projection(name: name) { connection, events in
            for event in events where event.type == "ClusterStatusSynced" {
                let data = try event.decodeData(JSONValue.self)
                guard let cluster = data["cluster"]?.stringValue, case .array(let objects) = data["objects"] ?? .null else {
                    continue
                }
                for object in objects {
                    guard let kind = object["kind"]?.stringValue, let name = object["name"]?.stringValue else { continue }
                    let key = "\(kind)/\(object["namespace"]?.stringValue ?? "default")/\(name)"
                    let status = String(decoding: try WireJSON.encode(object["status"] ?? .object([:])), as: UTF8.self)
                    try connection.query("""
                        INSERT INTO member_status (cluster, object_key, status, updated_at)
                        VALUES ($1, $2, $3::jsonb, $4::timestamptz)
                        ON CONFLICT (cluster, object_key) DO UPDATE
                        SET status = excluded.status, updated_at = excluded.updated_at
                        """, [cluster, key, status, event.recordedAt])
                }
            }
        }
    }
}
