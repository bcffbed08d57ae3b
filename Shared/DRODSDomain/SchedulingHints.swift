import DRODSCore

/// Optional scheduling preferences of a workload, read from its annotations.
public struct SchedulingHints: Equatable, Hashable, Codable, Sendable {
    /// `drods.io/gpu-model`, such as `nvidia-a100`: only clusters with this model fit.
    public var gpuModel: String?
    /// `drods.io/data-location`: the region that stores the workload's data.
    public var dataLocation: String?
    /// `drods.io/priority`, 0 to 1000.
    public var priority: Int?

    public static let gpuModelAnnotation = "drods.io/gpu-model"
    public static let dataLocationAnnotation = "drods.io/data-location"
    public static let priorityAnnotation = "drods.io/priority"

    public init(gpuModel: String? = nil, dataLocation: String? = nil, priority: Int? = nil) {
        self.gpuModel = gpuModel
        self.dataLocation = dataLocation
        self.priority = priority
    }

    public func jsonValue() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let gpuModel { members["gpuModel"] = .string(gpuModel) }
        if let dataLocation { members["dataLocation"] = .string(dataLocation) }
        if let priority { members["priority"] = .number(Double(priority)) }
        return .object(members)
    }
}
