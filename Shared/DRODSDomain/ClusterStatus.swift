import DRODSCore
import Foundation

/// Health of a member cluster as the control plane last saw it. Only the server sets it: the
/// cluster read model takes it from the monitor's `ClusterHealthChanged` events.
public struct ClusterStatus: Equatable, Hashable, Codable, Sendable {
    public enum Phase: String, CaseIterable, Codable, Sendable {
        /// Registered, no heartbeat yet.
        case pending = "Pending"
        /// Load reports arrive within the monitor's heartbeat timeout.
        case ready = "Ready"
        /// Reserved for a cluster that reports but cannot take work. No service sets it yet.
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
