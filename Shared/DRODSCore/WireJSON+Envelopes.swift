import Foundation

/// Encoder-free forms of the command and reply envelopes, which every write request sends
/// and receives. Decoding replies through JSONDecoder took about a sixth of the gateway's CPU
/// time under `drods bench bindings` at 500/s. These overloads write and read the same
/// documents as the generic `encode(_:)` and `decode(_:from:)`, and hand anything unusual to
/// those.
extension WireJSON {
    public static func encode(_ command: CommandEnvelope) throws -> Data {
        try encode(JSONValue.object([
            "id": .string(command.id),
            "correlationID": .string(command.correlationID),
            "type": .string(command.type),
            "actor": .string(command.actor),
            "replyTopic": .string(command.replyTopic),
            // The `.iso8601` date strategy of `encoder()` writes this format.
            "issuedAt": .string(command.issuedAt.formatted(.iso8601)),
            "payload": command.payload,
        ]))
    }

    public static func decode(_ type: CommandEnvelope.Type, from data: Data) throws -> CommandEnvelope {
        guard case .object(let members) = try decode(JSONValue.self, from: data),
              let id = members["id"]?.stringValue, let correlationID = members["correlationID"]?.stringValue,
              let commandType = members["type"]?.stringValue, let actor = members["actor"]?.stringValue,
              let replyTopic = members["replyTopic"]?.stringValue,
              let issuedAt = members["issuedAt"]?.stringValue.flatMap({ try? Date($0, strategy: .iso8601) }),
              let payload = members["payload"]
        else {
            return try decoder().decode(CommandEnvelope.self, from: data)
        }
        return CommandEnvelope(id: id, correlationID: correlationID, type: commandType, actor: actor,
                               replyTopic: replyTopic, issuedAt: issuedAt, payload: payload)
    }

    public static func encode(_ reply: ReplyEnvelope) throws -> Data {
        var members: [String: JSONValue] = [
            "commandID": .string(reply.commandID),
            "correlationID": .string(reply.correlationID),
            "outcome": .string(reply.outcome.rawValue),
        ]
        if let code = reply.code { members["code"] = .string(code) }
        if let message = reply.message { members["message"] = .string(message) }
        if let details = reply.details { members["details"] = details }
        if let result = reply.result { members["result"] = result }
        let integers: [(String, Double?)] = [
            ("version", reply.version.map { Double($0) }), ("sequence", reply.sequence.map { Double($0) }),
            ("transactionID", reply.transactionID.map { Double($0) }),
        ]
        for case (let key, let value?) in integers {
            // Past 2^53 a Double cannot represent every integer, and the writer would print an
            // exponent where JSONEncoder prints digits.
            guard abs(value) < exactIntegerLimit else { return try encoder().encode(reply) }
            members[key] = .number(value)
        }
        return try encode(JSONValue.object(members))
    }

    public static func decode(_ type: ReplyEnvelope.Type, from data: Data) throws -> ReplyEnvelope {
        let fallback = { try decoder().decode(ReplyEnvelope.self, from: data) }
        guard case .object(let members) = try decode(JSONValue.self, from: data),
              let commandID = members["commandID"]?.stringValue,
              let correlationID = members["correlationID"]?.stringValue,
              let outcome = members["outcome"]?.stringValue.flatMap(ReplyEnvelope.Outcome.init(rawValue:))
        else { return try fallback() }

        // Each optional member must be absent, null or of its type. Anything else goes to
        // JSONDecoder, which reports it.
        func string(_ key: String) -> String?? {
            switch members[key] {
            case nil, .null?: return .some(nil)
            case .string(let text)?: return .some(text)
            default: return nil
            }
        }
        func integer(_ key: String) -> Double?? {
            switch members[key] {
            case nil, .null?: return .some(nil)
            case .number(let value)? where value.rounded() == value && abs(value) < exactIntegerLimit:
                return .some(value)
            default: return nil
            }
        }
        func document(_ key: String) -> JSONValue? {
            if case .null? = members[key] { return nil }
            return members[key]
        }
        guard let code = string("code"), let message = string("message"), let version = integer("version"),
              let sequence = integer("sequence"), let transactionID = integer("transactionID"),
              (transactionID ?? 0) >= 0
        else { return try fallback() }
        return ReplyEnvelope(commandID: commandID, correlationID: correlationID, outcome: outcome, code: code,
                             message: message, details: document("details"), version: version.map { Int($0) },
                             sequence: sequence.map { Int64($0) }, transactionID: transactionID.map { UInt64($0) },
                             result: document("result"))
    }

    /// 2^53: every integer of smaller magnitude has an exact `Double`.
    private static let exactIntegerLimit = 9_007_199_254_740_992.0
}
