import DRODSCore

/// Bounds on how many clusters one workload's replicas may occupy.
public struct SpreadConstraints: Equatable, Hashable, Codable, Sendable {
    public var minClusters: Int?
    public var maxClusters: Int?

    public static let clusterLimit = 1000

    public init(minClusters: Int? = nil, maxClusters: Int? = nil) {
        self.minClusters = minClusters
        self.maxClusters = maxClusters
    }

    public func jsonValue() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let minClusters { members["minClusters"] = .number(Double(minClusters)) }
        if let maxClusters { members["maxClusters"] = .number(Double(maxClusters)) }
        return .object(members)
    }

    static func read(_ field: JSONField) -> SpreadConstraints? {
        guard let reader = field.object() else { return nil }
        reader.rejectUnknownFields(allowed: ["minClusters", "maxClusters"])
        let minimum = reader.optional("minClusters")?.integer(in: 1...clusterLimit)
        let maximum = reader.optional("maxClusters")?.integer(in: 1...clusterLimit)
        if let minimum, let maximum, minimum > maximum {
            reader.reject("maxClusters", "must be at least minClusters (\(minimum)), got \(maximum)")
        }
        return SpreadConstraints(minClusters: minimum, maxClusters: maximum)
    }
}
