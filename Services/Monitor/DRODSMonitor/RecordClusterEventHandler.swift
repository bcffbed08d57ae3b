import DRODSCore
import DRODSEventStore
import DRODSRuntime
import Foundation

/// Handles `RecordClusterEvent` from the data plane API: appends the event to the cluster's
/// health stream, and a critical event also to its failure stream, where it becomes failure
/// history. A `NodeReady` event after failures records their resolution.
public struct RecordClusterEventHandler: CommandHandler {
    public static let commandType = "RecordClusterEvent"

    public init() {}

    public func handle(_ command: CommandEnvelope, on connection: PQConnection) throws -> ReplyEnvelope {
        guard let cluster = command.payload["cluster"]?.stringValue, let type = command.payload["type"]?.stringValue else {
            return .rejected(command, code: "VALIDATION_FAILED", message: "the event names no cluster or type")
        }
        let metadata = EventMetadata(actor: command.actor, correlationID: command.correlationID, causationID: command.id)
        let severity = command.payload["severity"]?.stringValue ?? "info"
        var data = command.payload
        if case .object(var members) = data {
            members["cluster"] = .string(cluster)
            data = .object(members)
        }

        let failureType: String?
        if severity == "critical" {
            failureType = "ClusterFailureReported"
        } else if type == "NodeReady" {
            failureType = "ClusterFailureResolved"
        } else {
            failureType = nil
        }
        // One append per command keeps "first write" true; the failure stream carries the
        // failure events, the health stream everything else.
        let stream = failureType == nil ? "health-\(cluster)" : "failure-\(cluster)"
        let eventType = failureType ?? "ClusterEventReported"
        let append = try EventStore.append(on: connection, to: stream, expected: .any,
                                           events: [NewEvent(type: eventType, data: data, metadata: metadata)])
        return .accepted(command, append: append)
    }
}
