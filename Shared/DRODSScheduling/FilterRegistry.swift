/// The ordered list of filters a decision runs. A domain reports only the first failure, so
/// cheap checks on fixed attributes come before checks on load.
public struct FilterRegistry: Sendable {
    public var plugins: [any FilterPlugin]

    public init(plugins: [any FilterPlugin]) {
        self.plugins = plugins
    }

    /// Health, capabilities, affinity, taints, GPU model, resource totals, largest node, water level.
    public static let standard = FilterRegistry(plugins: [
        HealthFilter(), CapabilityFilter(), AffinityFilter(), TaintFilter(), GPUModelFilter(),
        ResourceFitFilter(), NodeFitFilter(), WaterLevelFilter(),
    ])

    /// Returns the plugin named `name`, or nil.
    public func plugin(named name: String) -> (any FilterPlugin)? {
        plugins.first { $0.name == name }
    }

    /// Returns the first failure of `domain`, or nil when every plugin passes it.
    public func firstFailure(of domain: DomainSnapshot, context: FilterContext) -> FilterFailure? {
        for plugin in plugins {
            if let failure = plugin.filter(domain, context: context) { return failure }
        }
        return nil
    }
}
