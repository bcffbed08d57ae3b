/// Health of a domain as the monitor last reported it.
public enum DomainHealth: String, CaseIterable, Codable, Sendable {
    case ready
    case notReady
    /// No report arrived within the monitor's deadline.
    case unknown
}
