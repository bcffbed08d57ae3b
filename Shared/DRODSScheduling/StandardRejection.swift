/// The first check of `FilterRegistry.standard` a domain fails, as the flat-column filter
/// finds it. Two domains with equal values fail with the same reason, except for affinity and
/// taints, whose reasons name the rule, so a decision calls a plugin for the reason of each
/// other value once.
enum StandardRejection: Hashable {
    case health(DomainHealth)
    /// `missing` contains the bits of the required capabilities the domain lacks, or `.max`
    /// when the plugin decided.
    case capability(missing: UInt64)
    case affinity
    case taint
    case gpuModel
    case resources(dimension: Int)
    case nodeFit
    case waterLevel

    /// Stages of the column scan, one per check in the plugins' order; the resource stage is
    /// followed by one per dimension.
    static let healthStage: UInt8 = 0
    static let capabilityStage: UInt8 = 1
    static let affinityStage: UInt8 = 2
    static let taintStage: UInt8 = 3
    static let gpuModelStage: UInt8 = 4
    static let resourcesStage: UInt8 = 5
    static let nodeFitStage: UInt8 = 10
    static let waterLevelStage: UInt8 = 11
    /// A domain that passed every check.
    static let passed: UInt8 = .max
}
