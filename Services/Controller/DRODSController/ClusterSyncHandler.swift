import DRODSCore
import DRODSEventStore
import DRODSRuntime
import Foundation

/// Handles `SyncClusterConfigs` and `SyncClusterStatus` from member-cluster agents: records
/// the reported configuration objects or object statuses as one event on the cluster's
/// `work-<cluster>-configs` or `work-<cluster>-status` stream. The gateway has validated
/// the report and its size; a batch is one event, so it is applied whole or not at all.
public struct ClusterSyncHandler: CommandHandler {
    public enum Kind: String, Sendable {
        case configs = "SyncClusterConfigs"
        case status = "SyncClusterStatus"
    }

    let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public func handle(_ command: CommandEnvelope, on connection: PQConnection) throws -> ReplyEnvelope {
        guard let cluster = command.payload["cluster"]?.stringValue else {
            return .rejected(command, code: "VALIDATION_FAILED", message: "the report names no cluster")
        }
        let known = try ResourceState.load(kind: .cluster, key: cluster, on: connection)
        guard known.document != nil else {
            return .rejected(command, code: ResourceKind.cluster.notFoundCode,
                             message: "cluster \(cluster) is not registered", details: ["name": .string(cluster)])
        }
        let (stream, type) = kind == .configs
            ? ("work-\(cluster)-configs", "ClusterConfigsSynced")
            : ("work-\(cluster)-status", "ClusterStatusSynced")
        let append = try EventStore.append(
            on: connection, to: stream, expected: .any,
            events: [NewEvent(type: type, data: command.payload,
                              metadata: EventMetadata(actor: command.actor, correlationID: command.correlationID,
                                                      causationID: command.id))])
        return .accepted(command, append: append)
    }
}
