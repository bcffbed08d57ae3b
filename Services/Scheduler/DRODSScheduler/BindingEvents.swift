import DRODSCore
import DRODSDomain
import DRODSEventStore
import Foundation

/// The events the scheduler appends to `binding-<id>` streams.
enum BindingEvents {
    /// Builds the event of a new scheduling task waiting for placement, with the binding
    /// document the status endpoint shows.
    static func requested(bindingID: String, request: BindingRequest, metadata: EventMetadata) -> (NewEvent, JSONValue) {
        let binding = JSONValue.object([
            "bindingId": .string(bindingID),
            "request": request.jsonValue(),
            "phase": .string("Pending"),
            "placement": .null,
            "explanation": .string("waiting for the scheduler"),
            "requestedBy": .string(metadata.actor),
        ])
        let event = NewEvent(
            type: "BindingRequested",
            data: .object(["bindingId": .string(bindingID), "phase": .string("Pending"), "binding": binding]),
            metadata: metadata)
        return (event, binding)
    }
}
