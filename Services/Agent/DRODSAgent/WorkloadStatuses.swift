import DRODSCore
import DRODSDomain
import Foundation

/// The statuses of a cluster's deployments, statefulsets and jobs as the objects of
/// `POST /api/v1/sync/batch`, at most `SyncBatch.maxObjects` per batch. Pure: no I/O.
public enum WorkloadStatuses {
    /// Returns batches of `{kind, namespace, name, resourceVersion, status}` objects.
    public static func batches(cluster: String, kind: String, items: [JSONValue]) -> [JSONValue] {
        let objects = items.compactMap { item -> JSONValue? in
            guard let metadata = item["metadata"], let name = metadata["name"]?.stringValue else { return nil }
            var members: [String: JSONValue] = ["kind": .string(kind), "name": .string(name),
                                                "status": item["status"] ?? .object([:])]
            if let namespace = metadata["namespace"]?.stringValue { members["namespace"] = .string(namespace) }
            if let version = metadata["resourceVersion"]?.stringValue { members["resourceVersion"] = .string(version) }
            return .object(members)
        }
        return stride(from: 0, to: objects.count, by: SyncBatch.maxObjects).map { start in
            .object(["cluster": .string(cluster),
                     "objects": .array(Array(objects[start..<min(start + SyncBatch.maxObjects, objects.count)]))])
        }
    }
}
