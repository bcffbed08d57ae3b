import DRODSDomain

/// One request to place (or re-place) a number of identical replicas across the fleet.
public struct SchedulingTask: Equatable, Sendable {
    public static let priorityRange = 0...1000
    public static let defaultWaterLevelLimit = 0.85

    /// Unique id; it also seeds the tie-break between equal domains.
    public var id: String
    public var replicas: Int
    /// Resources one replica needs.
    public var requirements: ResourceRequirements
    /// GPU model the replicas need; nil accepts any model.
    public var gpuModel: String?
    /// 0 to 1000; higher moves factor weight from cost to availability.
    public var priority: Int
    public var constraints: PlacementConstraints
    /// Highest water level, in (0, 1], a domain may reach after placement.
    public var waterLevelLimit: Double
    public var division: DivisionMode
    /// Minimum and maximum per domain name.
    public var replicaBounds: [String: ReplicaBounds]
    /// Minimum number of domains the replicas must occupy; nil for no lower bound.
    public var minDomains: Int?
    /// Maximum number of domains the replicas may occupy; nil for no upper bound.
    public var maxDomains: Int?
    /// Whether a task that does not fully fit is placed as far as it fits, with the rest pending.
    public var allowPartialPlacement: Bool
    public var locality: LocalityHints
    /// Replicas already running per domain name, for rescheduling; empty for a new task.
    public var existing: [String: Int]

    public init(id: String, replicas: Int, requirements: ResourceRequirements,
                gpuModel: String? = nil, priority: Int = 0, constraints: PlacementConstraints = .none,
                waterLevelLimit: Double = defaultWaterLevelLimit, division: DivisionMode = .dynamicWeights,
                replicaBounds: [String: ReplicaBounds] = [:], minDomains: Int? = nil,
                maxDomains: Int? = nil, allowPartialPlacement: Bool = false,
                locality: LocalityHints = .none, existing: [String: Int] = [:]) {
        self.id = id
        self.replicas = replicas
        self.requirements = requirements
        self.gpuModel = gpuModel
        self.priority = priority
        self.constraints = constraints
        self.waterLevelLimit = waterLevelLimit
        self.division = division
        self.replicaBounds = replicaBounds
        self.minDomains = minDomains
        self.maxDomains = maxDomains
        self.allowPartialPlacement = allowPartialPlacement
        self.locality = locality
        self.existing = existing
    }

    /// Resources of one replica, including its pod.
    public var replicaResources: ResourceVector {
        ResourceVector(replica: requirements, gpuModel: gpuModel)
    }

    /// Capabilities a domain must offer: the constraints' list, plus `gpu` when replicas need GPUs.
    public var requiredCapabilities: Set<String> {
        var capabilities = constraints.requiredCapabilities
        if requirements.gpu > 0 { capabilities.insert("gpu") }
        return capabilities
    }

    /// Returns the problems that make the task impossible to decide, empty when it is valid.
    public func validationProblems() -> [String] {
        var problems: [String] = []
        if id.isEmpty { problems.append("task id is empty") }
        if replicas < 0 { problems.append("replicas is \(replicas); it must be 0 or more") }
        if !Self.priorityRange.contains(priority) {
            problems.append("priority is \(priority); it must be between 0 and 1000")
        }
        if !(waterLevelLimit > 0 && waterLevelLimit <= 1) {
            problems.append("waterLevelLimit is \(waterLevelLimit); it must be greater than 0 and at most 1")
        }
        if let minDomains, let maxDomains, minDomains > maxDomains {
            problems.append("minDomains (\(minDomains)) is greater than maxDomains (\(maxDomains))")
        }
        for (name, bounds) in replicaBounds.sorted(by: { $0.key < $1.key }) {
            if bounds.minimum < 0 || (bounds.maximum.map { $0 < bounds.minimum } ?? false) {
                problems.append("replica bounds of \(name) are invalid: minimum \(bounds.minimum), "
                                + "maximum \(bounds.maximum.map(String.init) ?? "none")")
            }
        }
        if case .staticWeights(let weights) = division, weights.values.contains(where: { $0 < 0 }) {
            problems.append("static weights must not be negative")
        }
        return problems
    }
}
