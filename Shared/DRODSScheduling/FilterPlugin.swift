/// A stateless check that keeps a domain in the candidate list or rejects it with a reason.
public protocol FilterPlugin: Sendable {
    /// Unique name, used in logs and to look a plugin up in a registry.
    var name: String { get }

    /// Returns nil when `domain` passes, otherwise the reason it fails.
    func filter(_ domain: DomainSnapshot, context: FilterContext) -> FilterFailure?
}
