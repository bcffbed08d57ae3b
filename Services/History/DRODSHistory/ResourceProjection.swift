import DRODSCore
import DRODSEventStore
import Foundation

/// Projects resource events into the `resources` table that the gateway reads: one row per
/// existing resource with its current document and version.
public enum ResourceProjection {
    /// Checkpoint name. The gateway waits for it to pass a write before it responds.
    public static let name = "read-model:resources"

    public static func make() -> Projection {
        Projection(name: name) { connection, events in
            for event in events {
                guard let (kind, change) = ResourceKind.forEvent(event.type) else { continue }
                let data = try event.decodeData(ResourceEventData.self)
                guard data.kind == kind.name else { continue }
                switch change {
                case .created, .updated:
                    let document = String(decoding: try WireJSON.encode(data.document), as: UTF8.self)
                    let view = String(decoding: try WireJSON.encode(ResourceViews.view(of: data.document, kind: kind)),
                                      as: UTF8.self)
                    try connection.query("""
                        INSERT INTO resources (kind, key, version, document, view, created_at, updated_at)
                        VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6::timestamptz, $6::timestamptz)
                        ON CONFLICT (kind, key) DO UPDATE
                        SET version = excluded.version, document = excluded.document, view = excluded.view,
                            updated_at = excluded.updated_at
                        """, [kind.name, data.key, String(event.streamVersion), document, view, event.recordedAt])
                case .deleted:
                    try connection.query("DELETE FROM resources WHERE kind = $1 AND key = $2",
                                         [kind.name, data.key])
                }
            }
        }
    }
}
