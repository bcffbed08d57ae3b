/// Rejects domains that lack a capability the task requires, such as `gpu`.
public struct CapabilityFilter: FilterPlugin {
    public let name = "Capability"
    public init() {}

    public func filter(_ domain: DomainSnapshot, context: FilterContext) -> FilterFailure? {
        let required = context.requiredCapabilities
        guard !required.isSubset(of: domain.capabilities) else { return nil }
        let missing = required.subtracting(domain.capabilities).sorted()
        guard let first = missing.first else { return nil }
        return FilterFailure(code: .missingCapability, reason: "missing capability \(first)",
                             detail: context.detailed ? "\(domain.name) lacks \(missing.joined(separator: ", "))" : "")
    }
}
