import DRODSCore
import DRODSHTTP
import DRODSMessaging
import Foundation

/// Sends an audit record of every mutating request to `drods.audit`, where the history
/// service stores it. Sending does not delay the response. A record Kafka does not accept is
/// logged with its request id, so the log keeps it when the topic cannot.
struct AuditTrail: Sendable {
    let producer: KafkaProducer
    let logger: Logger

    static let mutatingMethods: Set<String> = ["POST", "PUT", "PATCH", "DELETE"]

    func record(_ request: HTTPRequest, response: HTTPResponse, actor: String?, role: String?) {
        guard Self.mutatingMethods.contains(request.method) else { return }
        let record = AuditRecord(
            requestID: request.requestID, time: Date(), actor: actor ?? "anonymous", role: role,
            action: "\(request.method) \(request.path)", resource: request.path,
            outcome: response.status == 401 || response.status == 403 ? "denied" : "allowed",
            status: response.status, remoteAddress: request.remoteAddress)
        guard let value = try? record.wireJSON() else { return }
        let logger = self.logger
        producer.send(topic: Topics.audit, key: request.requestID, value: value) { result in
            if case .failure(let error) = result {
                logger.error("audit record not delivered", [
                    .requestID: record.requestID, "audit.actor": record.actor, "audit.action": record.action,
                    "audit.outcome": record.outcome, .status: String(record.status), .error: String(describing: error),
                ])
            }
        }
    }
}
