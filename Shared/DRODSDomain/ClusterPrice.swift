import DRODSCore

/// The prices of a cluster in US dollars per hour, per vCPU and per GB of memory. The
/// scheduler's cost factor compares candidates by the price of one replica-hour, and treats a
/// GB as a GiB. A cluster registered without a price counts as free.
public struct ClusterPrice: Equatable, Codable, Sendable {
    public var vcpu: Double
    public var memoryGB: Double

    public init(vcpu: Double, memoryGB: Double) {
        self.vcpu = vcpu
        self.memoryGB = memoryGB
    }

    public func jsonValue() -> JSONValue {
        .object(["vcpu": .number(vcpu), "memoryGB": .number(memoryGB)])
    }

    static func read(_ field: JSONField) -> ClusterPrice? {
        guard let reader = field.object() else { return nil }
        reader.rejectUnknownFields(allowed: ["vcpu", "memoryGB"])
        let rule = "of US dollars per hour, at least 0"
        let vcpu = reader.required("vcpu")?.number(rule) { $0 >= 0 }
        let memory = reader.required("memoryGB")?.number(rule) { $0 >= 0 }
        guard let vcpu, let memory else { return nil }
        return ClusterPrice(vcpu: vcpu, memoryGB: memory)
    }
}
