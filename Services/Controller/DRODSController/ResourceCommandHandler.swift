import DRODSCore
import DRODSEventStore
import DRODSRuntime
import Foundation

/// Handles `CreateResource`, `PatchResource` and `DeleteResource` for every resource kind the
/// controller owns. The current state is the document in the stream's last event. The new
/// event is appended with the stream's version as the expected version, so two concurrent
/// changes of one resource cannot both succeed.
public struct ResourceCommandHandler: CommandHandler {
    public enum Operation: String, Sendable {
        case create = "CreateResource"
        case patch = "PatchResource"
        case delete = "DeleteResource"
    }

    let operation: Operation
    let definitions: [String: ResourceDefinition]

    public init(operation: Operation, definitions: [ResourceDefinition]) {
        self.operation = operation
        self.definitions = Dictionary(uniqueKeysWithValues: definitions.map { ($0.kind.name, $0) })
    }

    public func handle(_ command: CommandEnvelope, on connection: PQConnection) throws -> ReplyEnvelope {
        do {
            guard let kindName = command.payload["kind"]?.stringValue, let definition = definitions[kindName] else {
                throw APIRejection(code: "VALIDATION_FAILED", message: "unknown resource kind",
                                   details: ["kind": command.payload["kind"] ?? .null])
            }
            switch operation {
            case .create: return try create(command, definition, on: connection)
            case .patch: return try patch(command, definition, on: connection)
            case .delete: return try delete(command, definition, on: connection)
            }
        } catch let rejection as APIRejection {
            return .rejected(command, code: rejection.code, message: rejection.message, details: rejection.details)
        }
    }

    /// Two creates of one name race to the stream's first version; the loser gets the
    /// kind's "already exists" code, as if it had come second.
    public func conflictReply(for command: CommandEnvelope, error: EventStoreError) -> ReplyEnvelope? {
        guard operation == .create, let kind = command.payload["kind"]?.stringValue.flatMap(ResourceKind.named) else {
            return nil
        }
        let key = String(error.streamID.dropFirst(kind.streamPrefix.count))
        return .rejected(command, code: kind.alreadyExistsCode, message: "\(kind.name) \(key) already exists",
                         details: ["name": .string(key)])
    }

    // MARK: - Operations

    private func create(_ command: CommandEnvelope, _ definition: ResourceDefinition,
                        on connection: PQConnection) throws -> ReplyEnvelope {
        let kind = definition.kind
        let (key, document) = try definition.validateNew(command.payload["document"] ?? .null)
        let current = try ResourceState.load(kind: kind, key: key, on: connection)
        guard current.document == nil else {
            throw APIRejection(code: kind.alreadyExistsCode, message: "\(kind.name) \(key) already exists",
                               details: ["name": .string(key)])
        }
        let append = try EventStore.append(on: connection, to: kind.streamID(key: key),
                                           expected: .exact(current.version),
                                           events: [try event(kind.createdEvent, kind, key, document, command)])
        return .accepted(command, append: append, result: document)
    }

    private func patch(_ command: CommandEnvelope, _ definition: ResourceDefinition,
                       on connection: PQConnection) throws -> ReplyEnvelope {
        let kind = definition.kind
        let key = try Self.key(of: command)
        guard let applyPatch = definition.applyPatch else {
            throw APIRejection(code: "METHOD_NOT_ALLOWED", message: "\(kind.name) resources cannot be patched")
        }
        let current = try ResourceState.load(kind: kind, key: key, on: connection)
        guard let document = current.document else {
            throw APIRejection(code: kind.notFoundCode, message: "\(kind.name) \(key) not found",
                               details: ["name": .string(key)])
        }
        let updated = try applyPatch(document, command.payload["patch"] ?? .null)
        let append = try EventStore.append(on: connection, to: kind.streamID(key: key),
                                           expected: .exact(current.version),
                                           events: [try event(kind.updatedEvent, kind, key, updated, command)])
        return .accepted(command, append: append, result: updated)
    }

    private func delete(_ command: CommandEnvelope, _ definition: ResourceDefinition,
                        on connection: PQConnection) throws -> ReplyEnvelope {
        let kind = definition.kind
        let key = try Self.key(of: command)
        let current = try ResourceState.load(kind: kind, key: key, on: connection)
        guard let document = current.document else {
            throw APIRejection(code: kind.notFoundCode, message: "\(kind.name) \(key) not found",
                               details: ["name": .string(key)])
        }
        let append = try EventStore.append(on: connection, to: kind.streamID(key: key),
                                           expected: .exact(current.version),
                                           events: [try event(kind.deletedEvent, kind, key, document, command)])
        return .accepted(command, append: append, result: document)
    }

    // MARK: - Helpers

    private static func key(of command: CommandEnvelope) throws -> String {
        guard let key = command.payload["key"]?.stringValue, !key.isEmpty else {
            throw APIRejection(code: "VALIDATION_FAILED", message: "the command names no resource")
        }
        return key
    }

    private func event(_ type: String, _ kind: ResourceKind, _ key: String, _ document: JSONValue,
                       _ command: CommandEnvelope) throws -> NewEvent {
        let data = try WireJSON.decode(JSONValue.self, from: WireJSON.encode(
            ResourceEventData(kind: kind.name, key: key, document: document)))
        return NewEvent(type: type, data: data,
                        metadata: EventMetadata(actor: command.actor, correlationID: command.correlationID,
                                                causationID: command.id))
    }
}

/// A resource's version and current document, read from the last event of its stream.
struct ResourceState {
    var version: Int
    /// Nil when the resource does not exist or was deleted.
    var document: JSONValue?

    static func load(kind: ResourceKind, key: String, on connection: PQConnection) throws -> ResourceState {
        let result = try connection.query("""
            SELECT stream_version, type, data->'document' FROM event_log
            WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1
            """, [kind.streamID(key: key)])
        guard let row = result.rows.first, let version = row[0].flatMap(Int.init) else {
            return ResourceState(version: 0, document: nil)
        }
        guard row[1] != kind.deletedEvent, let text = row[2] else {
            return ResourceState(version: version, document: nil)
        }
        return ResourceState(version: version, document: try WireJSON.decode(JSONValue.self, from: Data(text.utf8)))
    }
}
