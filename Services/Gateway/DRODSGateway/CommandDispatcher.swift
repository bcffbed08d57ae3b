import DRODSCore
import DRODSEventStore
import DRODSHTTP
import DRODSMessaging
import Foundation

/// Sends a request's command to its owner and waits for the reply. After an accepted write
/// it also waits until the read models have projected it, so that the client's next read
/// shows what it wrote.
final class CommandDispatcher: Sendable {
    private let client: CommandClient
    private let progress: ProjectionProgress
    private let timeout: Double
    /// Seconds to wait for the projection after an accepted write; past it the response still
    /// reports the write as accepted, and a warning is logged.
    private let projectionWait: Double
    private let logger: Logger

    init(client: CommandClient, progress: ProjectionProgress, timeout: Double,
         projectionWait: Double = 3, logger: Logger) {
        self.client = client
        self.progress = progress
        self.timeout = timeout
        self.projectionWait = projectionWait
        self.logger = logger
    }

    /// Sends `type` with `payload` to `topic` and returns the accepted reply, or throws
    /// `APIRejection` for a rejected command or a timeout.
    func send(_ type: String, payload: JSONValue, to topic: String, key: String,
              request: HTTPRequest, waitFor projection: String? = nil) throws -> ReplyEnvelope {
        let command = CommandEnvelope(correlationID: request.requestID, type: type,
                                      actor: request.headers[GatewayHeaders.actor] ?? "anonymous",
                                      replyTopic: Topics.replies, payload: payload)
        let reply: ReplyEnvelope
        do {
            reply = try client.send(command, to: topic, key: key, timeout: timeout)
        } catch is CommandTimeoutError {
            logger.warning("command timed out", [.commandID: command.id, .commandType: type,
                                                  .requestID: request.requestID, .topic: topic])
            throw APIRejection(code: "TIMEOUT", message: "no reply from the owning service within \(timeout) s; "
                               + "the request may still be applied, so check before retrying",
                               details: ["requestId": .string(request.requestID)])
        } catch let error as PendingCommandLimitError {
            logger.warning("too many commands in flight", [.error: String(describing: error)])
            throw APIRejection(code: "UNAVAILABLE", message: "the gateway is overloaded; retry later")
        }
        guard reply.outcome == .accepted else {
            var details: [String: JSONValue] = [:]
            if case .object(let members) = reply.details ?? .null { details = members }
            throw APIRejection(code: reply.code ?? "INTERNAL_ERROR", message: reply.message ?? "rejected",
                               details: details)
        }
        if let projection, let seq = reply.sequence, let transactionID = reply.transactionID {
            waitForProjection(projection, position: LogPosition(transactionID: transactionID, seq: seq),
                              requestID: request.requestID)
        }
        return reply
    }

    private func waitForProjection(_ name: String, position: LogPosition, requestID: String) {
        guard !progress.wait(for: name, toReach: position, timeout: projectionWait) else { return }
        logger.warning("read model did not reach the write in time", [
            .projection: name, .requestID: requestID, "position": position.description,
        ])
    }
}

/// Headers the gateway sets on a request after it verified the token; values a client sent
/// under these names are replaced.
enum GatewayHeaders {
    static let actor = "X-DRODS-Actor"
    static let role = "X-DRODS-Role"
    static let cluster = "X-DRODS-Cluster"
}
