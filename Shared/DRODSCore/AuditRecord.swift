import Foundation

/// One mutating API request as the gateway saw it, allowed or denied.
public struct AuditRecord: Codable, Equatable, Sendable {
    public var requestID: String
    public var time: Date
    /// Token subject, or `anonymous` when the request carried no valid token.
    public var actor: String
    public var role: String?
    /// HTTP method and route pattern, such as `POST /api/v1/clusters`.
    public var action: String
    /// The request path, naming the resource.
    public var resource: String
    /// `allowed` when the request passed authentication and authorization, else `denied`.
    public var outcome: String
    public var status: Int
    public var remoteAddress: String?

    public init(requestID: String, time: Date, actor: String, role: String?, action: String,
                resource: String, outcome: String, status: Int, remoteAddress: String?) {
        self.requestID = requestID
        self.time = time
        self.actor = actor
        self.role = role
        self.action = action
        self.resource = resource
        self.outcome = outcome
        self.status = status
        self.remoteAddress = remoteAddress
    }
}
