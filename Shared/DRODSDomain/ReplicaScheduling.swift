import DRODSCore

/// The rule that spreads a workload's replicas over the selected clusters.
public struct ReplicaScheduling: Equatable, Hashable, Codable, Sendable {
    public enum SchedulingType: String, CaseIterable, Codable, Sendable {
        /// Every selected cluster runs the full replica count.
        case duplicated = "Duplicated"
        /// The replica count is split between the selected clusters.
        case divided = "Divided"
    }

    public enum DivisionPreference: String, CaseIterable, Codable, Sendable {
        /// In proportion to the static `weights`.
        case weighted = "Weighted"
        /// In proportion to each cluster's free capacity at scheduling time.
        case dynamic = "Dynamic"
        /// Into as few clusters as can hold them.
        case aggregated = "Aggregated"
    }

    public var type: SchedulingType
    /// Nil exactly when `type` is `duplicated`.
    public var divisionPreference: DivisionPreference?
    /// Static weight per cluster name, each at least 1; non-empty exactly when the preference
    /// is `weighted`.
    public var weights: [String: Int]

    public static let maximumWeight = 1_000_000

    /// The default: divided by free capacity.
    public init(type: SchedulingType = .divided,
                divisionPreference: DivisionPreference? = .dynamic, weights: [String: Int] = [:]) {
        self.type = type
        self.divisionPreference = type == .duplicated ? nil : divisionPreference
        self.weights = weights
    }

    public func jsonValue() -> JSONValue {
        var members: [String: JSONValue] = ["type": .string(type.rawValue)]
        if let divisionPreference { members["divisionPreference"] = .string(divisionPreference.rawValue) }
        if !weights.isEmpty { members["weights"] = .object(weights.mapValues { .number(Double($0)) }) }
        return .object(members)
    }

    // MARK: - Validation

    static func read(_ field: JSONField) -> ReplicaScheduling? {
        guard let reader = field.object() else { return nil }
        reader.rejectUnknownFields(allowed: ["type", "divisionPreference", "weights"])

        let type = reader.optional("type")?.enumeration(SchedulingType.self) ?? .divided
        let preferenceField = reader.optional("divisionPreference")
        let weightsField = reader.optional("weights")

        if type == .duplicated {
            if preferenceField != nil {
                reader.reject("divisionPreference", "only applies when type is Divided")
            }
            if weightsField != nil {
                reader.reject("weights", "only applies when type is Divided")
            }
            return ReplicaScheduling(type: .duplicated, divisionPreference: nil)
        }

        let preference = preferenceField?.enumeration(DivisionPreference.self) ?? .dynamic
        var weights: [String: Int] = [:]
        if let weightsField {
            if preference == .weighted {
                weights = readWeights(weightsField) ?? [:]
            } else {
                weightsField.reject("only applies when divisionPreference is Weighted")
            }
        } else if preference == .weighted, preferenceField != nil {
            reader.reject("weights", "is required when divisionPreference is Weighted")
        }
        return ReplicaScheduling(type: .divided, divisionPreference: preference, weights: weights)
    }

    private static func readWeights(_ field: JSONField) -> [String: Int]? {
        guard let reader = field.object() else { return nil }
        if reader.members.isEmpty {
            field.reject("must name at least one cluster when divisionPreference is Weighted")
            return nil
        }
        var weights: [String: Int] = [:]
        for key in reader.members.keys.sorted() {
            guard let entry = reader.optional(key) else {
                reader.reject(key, "must be an integer between 1 and \(maximumWeight)")
                continue
            }
            if !NameSyntax.isDNS1123Label(key) {
                entry.reject("names no valid cluster; cluster names " + NameSyntax.dns1123LabelMessage)
                continue
            }
            if let weight = entry.integer(in: 1...maximumWeight) {
                weights[key] = weight
            }
        }
        return weights
    }
}
