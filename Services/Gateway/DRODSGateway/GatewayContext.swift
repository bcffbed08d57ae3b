import DRODSAuth
import DRODSCore
import DRODSHTTP
import DRODSMessaging
import Foundation

/// Dependencies shared by the gateway's request handlers.
struct GatewayContext: Sendable {
    let dispatcher: CommandDispatcher
    let readModels: ReadModels
    let authorizer: Authorizer
    let cipher: CredentialCipher
    let producer: KafkaProducer
    let resourceProjection: String

    /// Throws `FORBIDDEN` unless the verified role of the request may perform `action`.
    func authorize(_ request: HTTPRequest, _ action: Action) throws {
        let role = request.headers[GatewayHeaders.role].flatMap(Role.init(rawValue:))
        let cluster = request.headers[GatewayHeaders.cluster]
        guard let role, authorizer.permits(role, cluster: cluster, action: action) else {
            throw APIRejection(code: "FORBIDDEN",
                               message: "role \(role?.rawValue ?? "none") may not \(Self.describe(action))",
                               details: ["role": .string(role?.rawValue ?? "none")])
        }
    }

    private static func describe(_ action: Action) -> String {
        switch action {
        case .read: "read resources"
        case .write: "change resources"
        case .admin: "perform administrative actions"
        case .reportMetrics(let cluster): "report for cluster \(cluster)"
        case .pullWorks(let cluster): "read the works of cluster \(cluster)"
        }
    }
}
