/// The ordered list of filters a decision runs. A domain reports only the first failure, so
/// cheap checks on fixed attributes come before checks on load.
public struct FilterRegistry: Sendable {
    public var plugins: [any FilterPlugin] {
        didSet { isStandard = false }
    }
    /// Whether the plugins are exactly `standard`'s, which lets a decision run their checks on
    /// the fleet's flat columns and call the plugins only to explain a rejection.
    private(set) var isStandard = false

    public init(plugins: [any FilterPlugin]) {
        self.plugins = plugins
    }

    /// Health, capabilities, affinity, taints, GPU model, resource totals, largest node, water level.
    public static let standard: FilterRegistry = {
        var registry = FilterRegistry(plugins: [
            HealthFilter(), CapabilityFilter(), AffinityFilter(), TaintFilter(), GPUModelFilter(),
            ResourceFitFilter(), NodeFitFilter(), WaterLevelFilter(),
        ])
        registry.isStandard = true
        return registry
    }()

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
