import DRODSCore
import Foundation

/// The `/clusters/<name>/simulator/usage` document: per node, what it can hold, what its pods
/// request and what background processes use, for agents that compute water levels.
///
/// Units: cpu in cores, memory in bytes, gpu in devices. `used` is background usage plus pod
/// requests, capped at allocatable, because simulated pods use exactly what they request.
enum UsageReport {
    /// Builds the report at the time in the `at` query parameter (RFC 3339), or now.
    static func make(cluster: SimulatedCluster, background: BackgroundLoad,
                     query: [String: String]) throws -> JSONValue {
        var date = Date()
        if let text = query["at"] {
            guard let parsed = ISO8601DateFormatter().date(from: text) else {
                throw KubeStatus.badRequest("query parameter at=\"\(text)\" is not an RFC 3339 time such as "
                                                + "2025-01-01T12:00:00Z")
            }
            date = parsed
        }
        let rooms = cluster.withState { $0.nodeRooms() }
        let nodes = rooms.map { room -> JSONValue in
            let capacity = NodeUsage(cpu: room.allocatable.cpu, memoryBytes: room.allocatable.memoryBytes,
                                     gpu: room.allocatable.gpu)
            let load = background.usage(cluster: cluster.spec.name, node: room.name,
                                        utcOffsetHours: cluster.spec.utcOffsetHours, allocatable: capacity, at: date)
            let used = NodeUsage(cpu: min(capacity.cpu, load.cpu + room.requested.cpu),
                                 memoryBytes: min(capacity.memoryBytes, load.memoryBytes + room.requested.memoryBytes),
                                 gpu: min(capacity.gpu, load.gpu + room.requested.gpu))
            return .object([
                "name": .string(room.name),
                "labels": .stringMap(room.labels),
                "allocatable": json(capacity),
                "requested": json(NodeUsage(cpu: room.requested.cpu, memoryBytes: room.requested.memoryBytes,
                                            gpu: room.requested.gpu)),
                "background": json(load),
                "used": json(used),
            ])
        }
        return .object([
            "cluster": .string(cluster.spec.name),
            "region": .string(cluster.spec.region),
            "zone": .string(cluster.spec.zone),
            "time": .string(KubeTime.format(date)),
            "nodes": .array(nodes),
        ])
    }

    private static func json(_ usage: NodeUsage) -> JSONValue {
        .object([
            "cpu": .number((usage.cpu * 1000).rounded() / 1000),
            "memoryBytes": .number(usage.memoryBytes.rounded()),
            "gpu": .number((usage.gpu * 1000).rounded() / 1000),
        ])
    }
}
