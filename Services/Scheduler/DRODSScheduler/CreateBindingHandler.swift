import DRODSCore
import DRODSDomain
import DRODSEventStore
import DRODSRuntime
import Foundation

/// Handles `CreateBinding`: validates the scheduling task, assigns its id and records it as
/// pending. The binding id is the command's payload `bindingId` when the caller chose one
/// (workloads selected by a policy use their key), else a new UUID.
public struct CreateBindingHandler: BatchableCommandHandler {
    public static let commandType = "CreateBinding"

    public init() {}

    /// Decides from the command alone: the append expects a new stream, so a taken id shows
    /// up as a version conflict, not through a read.
    public func stage(_ command: CommandEnvelope) throws -> StagedCommand {
        let input = command.payload["request"] ?? .null
        let request: BindingRequest
        do {
            request = try BindingRequest.validate(input)
        } catch let error as ValidationError {
            let rejection = error.rejection
            return .reply(.rejected(command, code: rejection.code, message: rejection.message,
                                    details: rejection.details))
        }
        let bindingID = command.payload["bindingId"]?.stringValue ?? UUID().uuidString.lowercased()
        let (event, binding) = BindingEvents.requested(
            bindingID: bindingID, request: request,
            metadata: EventMetadata(actor: command.actor, correlationID: command.correlationID, causationID: command.id))
        let append = StreamAppend(streamID: "binding-\(bindingID)", expected: .noStream, events: [event])
        return .append(append) { result in .accepted(command, append: result, result: binding) }
    }

    public func conflictReply(for command: CommandEnvelope, error: EventStoreError) -> ReplyEnvelope? {
        .rejected(command, code: "BINDING_ALREADY_EXISTS", message: "a binding with this id already exists",
                  details: ["bindingId": command.payload["bindingId"] ?? .null])
    }
}
