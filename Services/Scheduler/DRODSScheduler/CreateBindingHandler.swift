import DRODSCore
import DRODSDomain
import DRODSEventStore
import DRODSRuntime
import Foundation

/// Handles `CreateBinding`: validates the scheduling task, assigns its id and records it as
/// pending. The binding id is the command's payload `bindingId` when the caller chose one
/// (workloads selected by a policy use their key), else a new UUID.
public struct CreateBindingHandler: CommandHandler {
    public static let commandType = "CreateBinding"

    public init() {}

    public func handle(_ command: CommandEnvelope, on connection: PQConnection) throws -> ReplyEnvelope {
        let input = command.payload["request"] ?? .null
        let request: BindingRequest
        do {
            request = try BindingRequest.validate(input)
        } catch let error as ValidationError {
            let rejection = error.rejection
            return .rejected(command, code: rejection.code, message: rejection.message, details: rejection.details)
        }
        let bindingID = command.payload["bindingId"]?.stringValue ?? UUID().uuidString.lowercased()
        let (event, binding) = BindingEvents.requested(
            bindingID: bindingID, request: request,
            metadata: EventMetadata(actor: command.actor, correlationID: command.correlationID, causationID: command.id))
        let append = try EventStore.append(on: connection, to: "binding-\(bindingID)", expected: .noStream,
                                           events: [event])
        return .accepted(command, append: append, result: binding)
    }

    public func conflictReply(for command: CommandEnvelope, error: EventStoreError) -> ReplyEnvelope? {
        .rejected(command, code: "BINDING_ALREADY_EXISTS", message: "a binding with this id already exists",
                  details: ["bindingId": command.payload["bindingId"] ?? .null])
    }
}
