import DRODSCore
import Foundation

/// Health of a member cluster as the control plane last saw it. Set by the server only.
public struct ClusterStatus: Equatable, Hashable, Codable, Sendable {
    public enum Phase: String, CaseIterable, Codable, Sendable {
        /// Registered, no heartbeat yet.
        case pending = "Pending"
        case ready = "Ready"
        case notReady = "NotReady"
        /// Heartbeats stopped arriving.
        case unknown = "Unknown"
    }

    public var phase: Phase
    public var message: String?
    public var lastHeartbeat: Date?

    public init(phase: Phase = .pending, message: String? = nil, lastHeartbeat: Date? = nil) {
        self.phase = phase
        self.message = message
        self.lastHeartbeat = lastHeartbeat
    }

    public func jsonValue() -> JSONValue {
        var members: [String: JSONValue] = ["phase": .string(phase.rawValue)]
        if let message { members["message"] = .string(message) }
        if let lastHeartbeat { members["lastHeartbeat"] = .string(Timestamp.format(lastHeartbeat)) }
        return .object(members)
    }
}
