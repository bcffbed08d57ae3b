import DRODSCore

/// Scheduling settings shared by propagation policies, placement policies and inline binding
/// placements. In JSON they sit next to the owner's other fields, not in a nested object.
public struct SchedulingOptions: Equatable, Hashable, Codable, Sendable {
    public var replicaScheduling: ReplicaScheduling
    /// Highest resource water level (used / total in the bottleneck dimension) a cluster may
    /// reach after placement; greater than 0 and at most 1.
    public var waterLevelLimit: Double
    /// Whether a workload may be placed with fewer replicas than requested when the fleet
    /// lacks room, instead of failing as a whole.
    public var allowPartialPlacement: Bool
    public var spreadConstraints: SpreadConstraints?
    /// Whether water levels are planned as the higher of the current level and the peak the
    /// scheduler forecasts for each cluster's next day.
    public var scheduleAgainstForecast: Bool

    public static let defaultWaterLevelLimit = 0.85
    static let fieldNames = ["replicaScheduling", "waterLevelLimit", "allowPartialPlacement",
                             "spreadConstraints", "scheduleAgainstForecast"]

    public init(replicaScheduling: ReplicaScheduling = ReplicaScheduling(),
                waterLevelLimit: Double = defaultWaterLevelLimit,
                allowPartialPlacement: Bool = false, spreadConstraints: SpreadConstraints? = nil,
                scheduleAgainstForecast: Bool = false) {
        self.replicaScheduling = replicaScheduling
        self.waterLevelLimit = waterLevelLimit
        self.allowPartialPlacement = allowPartialPlacement
        self.spreadConstraints = spreadConstraints
        self.scheduleAgainstForecast = scheduleAgainstForecast
    }

    /// Adds the options' fields to an owner's JSON members.
    public func addFields(to members: inout [String: JSONValue]) {
        members["replicaScheduling"] = replicaScheduling.jsonValue()
        members["waterLevelLimit"] = .number(waterLevelLimit)
        members["allowPartialPlacement"] = .bool(allowPartialPlacement)
        if let spreadConstraints { members["spreadConstraints"] = spreadConstraints.jsonValue() }
        if scheduleAgainstForecast { members["scheduleAgainstForecast"] = .bool(true) }
    }

    /// Reads the options from their owner's object, filling defaults for absent fields.
    static func read(_ reader: ObjectReader) -> SchedulingOptions {
        let replicaScheduling = reader.optional("replicaScheduling").flatMap(ReplicaScheduling.read)
        let waterLevelLimit = reader.optional("waterLevelLimit")?.number(
            "greater than 0 and at most 1", accept: { $0 > 0 && $0 <= 1 })
        let allowPartialPlacement = reader.optional("allowPartialPlacement")?.bool()
        let spreadConstraints = reader.optional("spreadConstraints").flatMap(SpreadConstraints.read)
        let forecast = reader.optional("scheduleAgainstForecast")?.bool()
        return SchedulingOptions(
            replicaScheduling: replicaScheduling ?? ReplicaScheduling(),
            waterLevelLimit: waterLevelLimit ?? defaultWaterLevelLimit,
            allowPartialPlacement: allowPartialPlacement ?? false,
            spreadConstraints: spreadConstraints, scheduleAgainstForecast: forecast ?? false)
    }

    /// Checks the options against an explicit list of target cluster names: weights may only
    /// name listed clusters, and the list must be long enough for `minClusters`.
    func checkAgainst(targetNames: [String], reader: ObjectReader, targetField: String) {
        guard !targetNames.isEmpty else { return }
        let allowed = Set(targetNames)
        for name in replicaScheduling.weights.keys.sorted() where !allowed.contains(name) {
            let weightsPath = FieldPathText.appending("weights", to: reader.path(of: "replicaScheduling"))
            reader.collector.add(FieldPathText.appending(name, to: weightsPath),
                                 "names a cluster that is not in \(targetField)")
        }
        if let minimum = spreadConstraints?.minClusters, minimum > targetNames.count {
            let path = FieldPathText.appending("minClusters", to: reader.path(of: "spreadConstraints"))
            reader.collector.add(path, "is \(minimum) but \(targetField) lists only "
                                 + "\(targetNames.count) cluster(s)")
        }
    }
}
